"""Pools on the web and in the operations: the recusal check on assignment (refused, warned,
confirmed), the pool pages per role, bad input, the audit log, candidates for a case."""

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from ipcase.auth.models import Role, User
from ipcase.cases import operations as case_ops
from ipcase.cases.enums import AssignmentRole, Channel
from ipcase.cases.models import Assignment, Case, IPRight, TimelineEntry
from ipcase.cases.timeline import render_entry
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.deadlines.models import Deadline
from ipcase.pools import operations as ops
from ipcase.pools.models import Declaration, Pool, PoolChange, PoolProfile, Unavailability
from ipcase.pools.rules import Relation
from tests import factories
from tests.cases.helpers import add_agent, commit

#: the tests' dates, numbers and due dates are written for Tuesday 2026-11-24 10:00 China time
pytestmark = pytest.mark.frozen_at(datetime(2026, 11, 24, 2, 0, tzinfo=UTC))

TODAY = date(2026, 11, 24)  # the local day of the ``frozen_now`` instant


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def follow(client, response):
    assert response.status_code == 302, response.status_code
    return client.get(response.headers["Location"])


@pytest.fixture
def case(app, users, create_case, frozen_now):
    made = create_case(Channel.adjudication, actor=users["examiner"], received_at=datetime(2026, 11, 23, 2, tzinfo=UTC))
    commit()
    return made


def assign_url(case) -> str:
    return f"/cases/{case.id}/assignments"


def state(case) -> tuple[int, int]:
    """What an assignment changes: the case's assignments and timeline entries."""
    db.session.expire_all()
    return (
        count_where(Assignment, Assignment.case_id == case.id),
        count_where(TimelineEntry, TimelineEntry.case_id == case.id),
    )


def count_where(model, clause) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(clause))


# -- the recusal check on assignment ------------------------------------------------------------


def test_a_declared_ground_refuses_the_assignment(case, users, client_as, text):
    ops.add_declaration(
        users["expert"], {"kind": "attorney_for_patent", "counterpart": "2017 1 0601862.3"}, actor=users["expert"]
    )
    commit()
    client = client_as("director")
    before = state(case)
    for data in ({}, {"acknowledge_warnings": "y"}):  # no confirmation overrides a ground of [85]5
        response = client.post(
            assign_url(case), data={"user_id": users["expert"].id, "role": "tech_investigator"} | data
        )
        page = text(follow(client, response))
        assert "Expert cannot be assigned to this case (recusal, [85]5)" in page
        assert "declared: former patent attorney for ZL201710601862.3 (asserted in this case)" in page
        assert "The patent&#39;s attorney or examiner before ([85]5)" in page
        assert state(case) == before


def test_a_warning_asks_for_confirmation_then_is_recorded(case, users, client_as, text):
    ops.add_unavailability(
        users["expert"], {"from_on": date(2026, 11, 20), "to_on": date(2026, 11, 30), "reason": "出差"}, actor=None
    )
    commit()
    client = client_as("director")
    before = state(case)
    form = {"user_id": users["expert"].id, "role": "tech_investigator"}

    page = client.post(assign_url(case), data=form)
    assert page.status_code == 200
    body = text(page)
    assert "Recusal warnings" in body
    warning = "Availability — unavailable from 2026-11-20 to 2026-11-30 (出差), which includes 2026-11-24"
    assert warning in body
    assert 'name="acknowledge_warnings"' in body
    assert "I have read the warnings and assign anyway" in body
    assert state(case) == before  # nothing assigned until confirmed

    response = client.post(assign_url(case), data=form | {"acknowledge_warnings": "y"})
    page = text(follow(client, response))
    assert "Staff assigned" in page
    assert state(case) == (before[0] + 1, before[1] + 2)  # the assignment and the period it starts
    entries = db.session.scalars(
        sa.select(TimelineEntry).where(TimelineEntry.case_id == case.id).order_by(TimelineEntry.id.desc())
    ).all()
    # the assignment, then the 3-day period to tell the parties of the technical investigator ([TI])
    assert [e.event for e in entries[:2]] == ["deadline.started", "assignment.added_with_warnings"]
    entry = entries[1]
    assert entry.actor_id == users["director"].id
    expected = (
        "Expert assigned as Technical investigator; the assigner read the recusal warnings and confirmed: " + warning
    )
    assert expected in page
    held = {(a.user_id, a.role) for a in db.session.get(Case, case.id).assignments}
    assert (users["expert"].id, AssignmentRole.tech_investigator) in held


def test_someone_without_a_profile_is_checked_by_name(app, users, create_case, client_as, text, frozen_now):
    """The base expert ("Expert") has no profile; a respondent of the same name warns."""
    case = create_case(actor=users["examiner"], respondent="EXPERT", received_at=datetime(2026, 11, 23, tzinfo=UTC))
    commit()
    assert ops.get_profile(users["expert"]) is None
    client = client_as("director")
    before = state(case)
    body = text(client.post(assign_url(case), data={"user_id": users["expert"].id, "role": "tech_investigator"}))
    assert "has the same name as EXPERT (Respondent in this case): check whether it is the same person" in body
    assert state(case) == before


def test_no_finding_assigns_as_before(case, users):
    assignment = case_ops.assign_staff(case, users["expert"], AssignmentRole.tech_investigator, actor=users["director"])
    assert assignment.id
    assert [e.event for e in case.timeline[-2:]] == ["assignment.added", "deadline.started"]
    started = db.session.scalars(sa.select(Deadline.rule_id).where(Deadline.case_id == case.id)).all()
    assert "adj.tech_investigator_notice" in started


def test_the_operation_refuses_warns_and_records(app, case, users):
    add_agent(case.requesters[0], "李律师")
    ops.add_declaration(users["examiner2"], {"kind": "relative_of", "counterpart": "李律师"}, actor=None)
    ops.add_declaration(users["examiner3"], {"kind": "other", "counterpart": "四川某某贸易有限公司"}, actor=None)
    with app.test_request_context(), force_locale("en"):  # the reasons are worded when raised
        with pytest.raises(ops.RecusalRefused) as refused:
            case_ops.assign_staff(case, users["examiner2"], AssignmentRole.panel_member, actor=users["director"])
        assert "declared: relative of 李律师 (agent of 成都某某科技有限公司 in this case)" in str(refused.value)
        with pytest.raises(ops.RecusalWarnings) as warned:
            case_ops.assign_staff(case, users["examiner3"], AssignmentRole.clerk, actor=users["director"])
        assert "other relationship with 四川某某贸易有限公司 (Respondent in this case)" in str(warned.value)
        assignment = case_ops.assign_staff(
            case, users["examiner3"], AssignmentRole.clerk, actor=users["director"], acknowledge_warnings=True
        )
        entry = case.timeline[-1]
        assert entry.event == "assignment.added_with_warnings"
        assert entry.data["warnings"][0]["text"] == "recusal.finding"
        assert "other relationship with 四川某某贸易有限公司" in render_entry(entry)
        assert assignment in case.assignments
        # the handler (who received the case) is not checked
        case_ops.assign_staff(case, users["examiner2"], AssignmentRole.handler, actor=users["director"])


def test_the_staff_panel_links_to_candidates(case, users, client_as, text):
    page = text(client_as("director").get(f"/cases/{case.id}"))
    assert f"/pools/suggest/{case.id}" in page


# -- pool pages per role -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("admin", 200),
        ("director", 200),
        ("examiner", 200),
        ("mediator", 200),
        ("station", 403),
        ("expert", 403),
        ("party", 403),
    ],
)
def test_who_browses_the_pools(app, users, client_as, username, status):
    ops.save_profile(users["examiner2"], {"pools": ["mediator"]}, actor=None)
    commit()
    client = client_as(username)
    assert client.get("/pools/").status_code == status
    assert client.get(f"/pools/{users['examiner2'].id}").status_code == status


def test_a_person_sees_and_edits_only_their_own_profile(app, users, client_as, text):
    client = client_as("expert")
    assert client.get(f"/pools/{users['expert'].id}").status_code == 200
    assert client.get(f"/pools/{users['director'].id}").status_code == 403
    assert client.get(f"/pools/{users['director'].id}/edit").status_code == 403
    assert client.get(f"/pools/{users['party'].id}").status_code == 404  # parties keep no profile
    assert client.get(f"/pools/{users['admin'].id}").status_code == 404
    # own edit: employer and availability change; pools and fields are not the person's to set
    response = client.post(
        f"/pools/{users['expert'].id}/edit",
        data={"pools": ["mediator"], "ipc_classes": "H04L", "employer": "西南交通大学", "title": "教授"},
    )
    assert response.status_code == 302
    profile = ops.get_profile(users["expert"])
    assert (profile.employer, profile.title, profile.is_available) == ("西南交通大学", "教授", False)
    assert profile.pools == [] and profile.ipc_classes == []
    edit_page = text(client.get(f"/pools/{users['expert'].id}/edit"))
    assert 'name="pools"' not in edit_page and 'name="employer"' in edit_page


def test_a_director_admits_to_pools_and_every_change_is_audited(app, users, client_as, text):
    client = client_as("director")
    url = f"/pools/{users['expert'].id}/edit"
    response = client.post(
        url,
        data={
            "pools": ["tech_investigator", "expert"],
            "ipc_classes": "a47c4/00, A47C\nA47C 4/00",
            "employer": "西南交通大学",
            "is_available": "y",
        },
    )
    assert response.status_code == 302
    profile = ops.get_profile(users["expert"])
    assert set(profile.pools) == {Pool.tech_investigator, Pool.expert}
    assert profile.ipc_classes == ["A47C 4/00", "A47C"]
    events = [c.event for c in ops.history(profile)]
    assert events == ["profile.updated", "profile.created"]
    page = text(client.get(f"/pools/{users['expert'].id}"))
    assert "Profile changed: Pools, Fields of expertise (IPC), Employer" in page
    assert "A47C 4/00, A47C" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"ipc_classes": "A47C 4/00, chairs"}, "“chairs” is not an IPC class"),
        ({"ipc_classes": "H04"}, "“H04” is not an IPC class"),
        ({"pools": ["mediator"]}, "Expert (Expert / technical investigator) cannot be in the pool: Mediators"),
        ({"pools": ["nonsense"]}, "Choose only among the options offered."),
    ],
)
def test_bad_profile_input_changes_nothing(app, users, client_as, text, data, message):
    before = (count(PoolProfile), count(PoolChange))
    response = client_as("director").post(f"/pools/{users['expert'].id}/edit", data=data)
    assert response.status_code == 422
    assert message in text(response)
    assert (count(PoolProfile), count(PoolChange)) == before


def test_declarations_added_and_removed(app, users, client_as, text):
    client = client_as("expert")
    url = f"/pools/{users['expert'].id}/declarations"
    response = client.post(
        url, data={"kind": "examiner_of_patent", "counterpart": "2017 1 0601862.3", "since_on": "2015-01-01"}
    )
    assert response.status_code == 302
    declaration = db.session.scalars(sa.select(Declaration)).one()
    assert (declaration.kind, declaration.counterpart) == (Relation.examiner_of_patent, "ZL201710601862.3")
    page = text(follow(client, response))
    assert "Declaration recorded" in page and "Declared: Former examiner of (a patent) ZL201710601862.3" in page

    # reversed dates, a missing counterpart: refused with the reason, nothing added
    for data, message in [
        (
            {"kind": "employed_by", "counterpart": "某公司", "since_on": "2020-01-01", "until_on": "2019-01-01"},
            "The end date cannot be before the start date.",
        ),
        ({"kind": "employed_by", "counterpart": ""}, "This field is required."),
        ({"kind": "bribed_by", "counterpart": "某公司"}, "Not a valid choice"),
    ]:
        response = client.post(url, data=data)
        assert response.status_code == 422
        assert message in text(response)
        assert count(Declaration) == 1

    # another person's declaration cannot be reached through one's own page (IDOR), nor theirs
    other = ops.add_declaration(users["examiner"], {"kind": "other", "counterpart": "某公司"}, actor=None)
    commit()
    assert client.post(f"{url}/remove", data={"item_id": other.id}).status_code == 404
    assert (
        client.post(f"/pools/{users['examiner'].id}/declarations/remove", data={"item_id": other.id}).status_code == 403
    )
    assert client.post(f"{url}/remove", data={"item_id": "x"}).status_code == 404
    assert count(Declaration) == 2

    response = client.post(f"{url}/remove", data={"item_id": declaration.id})
    assert response.status_code == 302
    assert db.session.get(Declaration, declaration.id) is None
    events = [c.event for c in ops.history(ops.get_profile(users["expert"]))]
    assert events[:2] == ["declaration.removed", "declaration.added"]


def test_periods_of_unavailability(app, users, client_as, text):
    client = client_as("mediator")
    url = f"/pools/{users['mediator'].id}/unavailability"
    response = client.post(url, data={"from_on": "2026-12-10", "to_on": "2026-12-01", "reason": "休假"})
    assert response.status_code == 422
    assert "The last day cannot be before the first day." in text(response)
    assert count(Unavailability) == 0
    response = client.post(url, data={"from_on": "2026-12-01"})
    assert response.status_code == 422
    assert count(Unavailability) == 0

    response = client.post(url, data={"from_on": "2026-12-01", "to_on": "2026-12-10", "reason": "休假"})
    assert response.status_code == 302
    period = db.session.scalars(sa.select(Unavailability)).one()
    assert "Not available from 2026-12-01 to 2026-12-10" in text(follow(client, response))
    # the director may change anyone's periods, the examiner not the mediator's
    assert client_as("examiner").post(f"{url}/remove", data={"item_id": period.id}).status_code == 403
    assert client_as("director").post(f"{url}/remove", data={"item_id": period.id}).status_code == 302
    assert count(Unavailability) == 0


def test_the_list_filters(app, users, client_as, text):
    second = factories.base_users()["examiner2"]
    ops.save_profile(
        users["expert"],
        {"pools": ["tech_investigator"], "ipc_classes": ["A47C 4/00"], "employer": "西南交通大学"},
        actor=None,
    )
    ops.save_profile(
        second, {"pools": ["mediator"], "ipc_classes": ["H04L 9/32"], "employer": "成都市知识产权局"}, actor=None
    )
    ops.add_unavailability(second, {"from_on": date(2026, 12, 1), "to_on": date(2026, 12, 31)}, actor=None)
    commit()
    client = client_as("examiner")

    def names(query: str) -> set[str]:
        response = client.get(f"/pools/?{query}")
        assert response.status_code == 200, query
        body = text(response)
        return {n for n in ("Expert", "Examiner2") if f">{n}</a>" in body}

    assert names("") == {"Expert", "Examiner2"}
    assert names("pool=tech_investigator") == {"Expert"}
    assert names("ipc=h04") == {"Examiner2"}
    assert names("ipc=A47C4") == {"Expert"}
    assert names("ipc=A") == {"Expert"}
    assert names("available_on=2026-12-15") == {"Expert"}
    assert names("available_on=2026-11-30") == {"Expert", "Examiner2"}
    assert names("q=交通") == {"Expert"}
    bad = client.get("/pools/?ipc=chairs")
    assert bad.status_code == 422
    assert "Give the beginning of an IPC class" in text(bad)


# -- candidates for a case ------------------------------------------------------------------------


def test_candidates_match_the_field_and_show_findings(case, users, client_as, text):
    right = case.rights[0]
    case_ops.update_right(
        right,
        {
            "right_type": "patent",
            "number": right.number,
            "title": right.title,
            "holder": right.holder,
            "ipc_class": "a47c 4/02",
        },
        actor=users["examiner"],
    )
    assert right.ipc_class == "A47C 4/02"
    made = {}
    for username, field, declaration in [
        ("chairs", "A47C 4/00", None),
        ("furniture", "A47B", None),
        ("phones", "H04L", None),
        ("conflicted", "A47C", {"kind": "examiner_of_patent", "counterpart": right.number}),
    ]:
        user = User(username=username, display_name=username.title(), role=Role.expert)
        user.set_password(factories.PASSWORD)
        db.session.add(user)
        db.session.flush()
        pools = ["tech_investigator", "expert"] if username == "chairs" else ["tech_investigator"]
        ops.save_profile(user, {"pools": pools, "ipc_classes": [field]}, actor=None)
        if declaration:
            ops.add_declaration(user, declaration, actor=None)
        made[username] = user
    ops.add_unavailability(made["furniture"], {"from_on": date(2026, 11, 1), "to_on": date(2026, 11, 30)}, actor=None)
    commit()

    candidates = ops.suggest_candidates(case)
    # closest field first; H04L unrelated; furniture away; two pools giving one role: one row
    assert [c.profile.user.username for c in candidates] == ["chairs", "conflicted"]
    assert set(candidates[0].pools) == {Pool.tech_investigator, Pool.expert}
    assert candidates[0].matched == ["A47C 4/00"] and candidates[0].affinity == 3

    page = text(client_as("director").get(f"/pools/suggest/{case.id}"))
    assert "A47C 4/02" in page
    assert "Chairs" in page and "Conflicted" in page and "Phones" not in page and "Furniture" not in page
    assert (
        f"Excluded: The patent&#39;s attorney or examiner before ([85]5) — declared: former examiner of {right.number}"
        in page
    )
    assert page.count("Assign as Technical investigator") == 1  # not for the excluded candidate
    assert client_as("expert").get(f"/pools/suggest/{case.id}").status_code == 404  # not on the case


def test_the_right_carries_an_ipc_class(case, users, client_as, text):
    right = case.rights[0]
    url = f"/cases/{case.id}/rights/{right.id}/edit"
    form = {
        "right_type": "patent",
        "number": right.number,
        "title": right.title,
        "holder": right.holder,
        "legal_status": "valid",
    }
    client = client_as("examiner")
    response = client.post(url, data=form | {"ipc_class": "chairs"})
    assert response.status_code == 422
    assert "“chairs” is not an IPC class" in text(response)
    db.session.expire_all()
    assert db.session.get(IPRight, right.id).ipc_class is None
    assert client.post(url, data=form | {"ipc_class": "a47c4/00"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(IPRight, right.id).ipc_class == "A47C 4/00"
    assert "IPC class" in render_entry(db.session.get(Case, case.id).timeline[-1])


def test_profiles_only_for_people_who_can_be_put_on_cases(app, users):
    with app.test_request_context(), pytest.raises(DomainError):
        ops.ensure_profile(users["party"], actor=None)
    assert ops.pool_roles(Pool.tech_investigator) == case_ops.ELIGIBLE[AssignmentRole.tech_investigator]
