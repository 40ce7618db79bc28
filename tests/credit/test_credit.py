"""Credit records: who a record is about, repeat infringement ([85]34), flags, idempotent and
concurrency-safe recording, and who sees the records (never the parties; another region sees
the history but not the case links it may not open)."""

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from flask_migrate import upgrade

from ipcase.cases import operations as case_ops
from ipcase.cases.enums import Channel, IdType, PartyRole
from ipcase.cases.models import Case, Party, TimelineEntry
from ipcase.cases.transfers import refer_case
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.credit import operations as ops
from ipcase.credit.models import CreditEvent, CreditEventKind, normalise_name, subject_key
from ipcase.credit.operations import CreditFlag, flags_of, history, record_event
from tests import factories
from tests.cases.helpers import commit
from tests.conftest import PG_AVAILABLE, database_config, drop_database, make_app

K = CreditEventKind
USCC = "91350100M000100Y43"


@pytest.fixture(autouse=True)
def english(request):
    if "app" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("app")
    with force_locale("en"):
        yield


# -- who a record is about -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("四川某某贸易有限公司", "四川某某贸易有限公司 "),
        ("四川某某贸易有限公司", "四川 某某 贸易有限公司"),
        ("成都（天府）科技有限公司", "成都(天府)科技有限公司"),  # full-width parentheses
        ("ＡＢＣ Trading Co., Ltd.", "abc trading co., ltd."),  # full-width letters, case
        ("Straße GmbH", "STRASSE GMBH"),  # case folding, not just lower()
        ("王五", "王\u3000五"),  # ideographic space
    ],
)
def test_the_same_name_written_differently_is_the_same_subject(a, b):
    assert normalise_name(a) == normalise_name(b)
    assert subject_key(a) == subject_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("四川某某贸易有限公司", "四川某某商贸有限公司"),
        ("王五", "王六"),
    ],
)
def test_different_names_are_different_subjects(a, b):
    assert subject_key(a) != subject_key(b)


def test_an_identity_document_decides_over_the_name():
    assert subject_key("甲公司", "uscc", USCC) == f"id:uscc:{USCC}"
    assert subject_key("甲公司", "uscc", USCC) == subject_key("甲公司（曾用名乙公司）", "uscc", USCC.lower())
    assert subject_key("王五", "resident_id", "11010519491231002x") == "id:resident_id:11010519491231002X"
    assert subject_key("王五", "resident_id", "１１０１０５１９４９１２３１００２Ｘ") == subject_key(
        "王五", "resident_id", "11010519491231002X"
    )
    assert subject_key("甲公司", "uscc", "") == subject_key("甲公司")  # no number: the name
    assert subject_key("甲公司", None, USCC) == subject_key("甲公司")  # no type: the name
    assert subject_key("甲公司", "uscc", USCC) != subject_key("甲公司", "passport", USCC)


class E:
    """A stand-in event for the pure flag rules."""

    def __init__(self, kind, case_id, removed=False):
        self.kind, self.dispute_id, self.is_removed = kind, case_id, removed


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        ([], []),
        ([E(K.infringement_found, 1)], []),
        ([E(K.infringement_found, 1), E(K.infringement_found, 2)], [CreditFlag.repeat_infringer]),
        ([E(K.repeat_infringement, 2)], [CreditFlag.repeat_infringer]),
        ([E(K.infringement_found, 1), E(K.infringement_found, 2, removed=True)], []),
        ([E(K.decision_unperformed, 1)], [CreditFlag.unperformed_decision]),
        ([E(K.exhibitor_violation, 1)], []),
        ([E(K.exhibitor_violation, 1), E(K.exhibitor_violation, 2)], [CreditFlag.repeat_exhibitor]),
        ([E(K.false_complaint, 3)], [CreditFlag.false_complainant]),
        ([E(K.serious_dishonesty_listed, 3)], [CreditFlag.seriously_dishonest]),
    ],
)
def test_flags(events, expected):
    assert flags_of(events) == expected


# -- recording ------------------------------------------------------------------------------------


def rows(**where):
    stmt = sa.select(CreditEvent).where(*(getattr(CreditEvent, k) == v for k, v in where.items()))
    return db.session.scalars(stmt.order_by(CreditEvent.id)).all()


def infringer_case(create_case, respondent="四川某某贸易有限公司", **kw):
    return create_case(Channel.adjudication, respondent=respondent, **kw)


def test_recording_twice_is_harmless(app, create_case, users):
    case = infringer_case(create_case)
    party = case.respondents[0]
    first = record_event(case, party, "infringement_found", actor=users["director"], at=clock.now())
    assert first is not None
    assert record_event(case, party, K.infringement_found, actor=users["director"], at=clock.now()) is None
    db.session.expire_all()  # what the database holds, not the session
    assert len(rows(case_id=case.id)) == 1
    entries = [e for e in case.timeline if e.event == "credit.recorded"]
    assert len(entries) == 1


def test_repeat_infringement_on_a_later_case(app, create_case, users):
    earlier = infringer_case(create_case)
    later = infringer_case(create_case, respondent="四川 某某贸易有限公司")  # the same name, written with a space
    now = clock.now()
    record_event(earlier, earlier.respondents[0], K.infringement_found, actor=None, at=now - timedelta(days=30))
    assert rows(kind=K.repeat_infringement) == []
    record_event(later, later.respondents[0], K.infringement_found, actor=None, at=now)
    (repeat,) = rows(kind=K.repeat_infringement)
    assert (repeat.case_id, repeat.party_id) == (later.id, later.respondents[0].id)
    assert CreditFlag.repeat_infringer in ops.flags(later.respondents[0])
    # the first case is no repeat, and a second finding on the same case is none either
    record_event(earlier, earlier.respondents[0], K.infringement_found, actor=None, at=now)
    assert len(rows(kind=K.repeat_infringement)) == 1


def test_no_repeat_for_another_subject_or_a_removed_finding(app, create_case, users):
    first = infringer_case(create_case, respondent="甲贸易有限公司")
    other = infringer_case(create_case, respondent="乙贸易有限公司")
    record_event(first, first.respondents[0], K.infringement_found, actor=None, at=clock.now() - timedelta(days=2))
    record_event(other, other.respondents[0], K.infringement_found, actor=None, at=clock.now())
    assert rows(kind=K.repeat_infringement) == []
    # a finding removed (entered in error) does not make the next one a repeat
    (found,) = rows(case_id=first.id)
    ops.remove_event(found, actor=users["director"], reason="录入错误")
    third = infringer_case(create_case, respondent="甲贸易有限公司")
    record_event(third, third.respondents[0], K.infringement_found, actor=None, at=clock.now())
    assert rows(kind=K.repeat_infringement) == []


def test_a_referred_case_is_the_same_dispute(app, create_case, users):
    first = infringer_case(create_case)
    record_event(first, first.respondents[0], K.infringement_found, actor=None, at=clock.now() - timedelta(hours=20))
    moved = refer_case(
        first,
        channel=Channel.adjudication,
        organisation=factories.org("cqip"),
        actor=users["director"],
        at=clock.now() - timedelta(hours=10),
        reason="移送",
    )
    record_event(moved, moved.respondents[0], K.infringement_found, actor=None, at=clock.now())
    assert rows(kind=K.repeat_infringement) == []
    assert CreditFlag.repeat_infringer not in ops.flags(moved.respondents[0])
    # a separate dispute is a repeat
    other = infringer_case(create_case)
    record_event(other, other.respondents[0], K.infringement_found, actor=None, at=clock.now())
    assert [e.case_id for e in rows(kind=K.repeat_infringement)] == [other.id]
    assert CreditFlag.repeat_infringer in ops.flags(moved.respondents[0])


def test_a_finding_later_than_this_one_is_no_earlier_infringement(app, create_case):
    a = infringer_case(create_case)
    b = infringer_case(create_case)
    record_event(a, a.respondents[0], K.infringement_found, actor=None, at=clock.now())
    record_event(b, b.respondents[0], K.infringement_found, actor=None, at=clock.now() - timedelta(days=5))
    assert rows(kind=K.repeat_infringement) == []


def test_identity_documents_match_across_names_and_names_without_documents(app, create_case):
    a = infringer_case(create_case, respondent="甲科技有限公司")
    b = infringer_case(create_case, respondent="甲科技（成都）有限公司")  # renamed, same credit code
    c = infringer_case(create_case, respondent="甲科技有限公司")  # no document given
    d = infringer_case(create_case, respondent="丙公司")
    for case in (a, b):
        case_ops.update_party(case.respondents[0], {"id_type": IdType.uscc, "id_number": USCC}, actor=None)
    record_event(a, a.respondents[0], K.infringement_found, actor=None, at=clock.now() - timedelta(days=9))
    assert {e.case_id for e in history(b.respondents[0])} == {a.id}
    assert {e.case_id for e in history(c.respondents[0])} == {a.id}
    assert history(d.respondents[0]) == []
    assert {e.case_id for e in history(f"id:uscc:{USCC}")} == {a.id}
    assert {e.case_id for e in history("甲科技有限公司")} == {a.id}


def test_refused_records_change_nothing(app, create_case, users):
    case = infringer_case(create_case)
    other = infringer_case(create_case, respondent="别案被请求人")
    with pytest.raises(DomainError):  # a party of another case
        record_event(case, other.respondents[0], K.infringement_found, actor=None, at=clock.now())
    with pytest.raises(DomainError):
        record_event(case, case.respondents[0], K.infringement_found, actor=None, at=clock.now() + timedelta(hours=1))
    with pytest.raises(ValueError):
        record_event(case, case.respondents[0], "slander", actor=None, at=clock.now())
    party = case.requesters[0]
    with pytest.raises(DomainError, match="head of the office"):
        ops.record_manual(case, party, K.false_complaint, actor=users["examiner"], reason="虚假投诉")
    with pytest.raises(DomainError, match="recorded by the procedure"):
        ops.record_manual(case, party, K.infringement_found, actor=users["director"], reason="x")
    with pytest.raises(DomainError, match="reasons"):
        ops.record_manual(case, party, K.false_complaint, actor=users["director"], reason=" ")
    cq_director = factories.base_users()["cqexaminer"]
    with pytest.raises(DomainError):
        ops.record_manual(case, party, K.false_complaint, actor=cq_director, reason="x")
    assert rows() == []


def test_removal_is_kept_and_audited(app, create_case, users):
    case = infringer_case(create_case)
    event = ops.record_manual(
        case, case.requesters[0], K.false_complaint, actor=users["director"], reason="伪造专利证书投诉"
    )
    with pytest.raises(DomainError, match="already recorded"):
        ops.record_manual(case, case.requesters[0], K.false_complaint, actor=users["director"], reason="again")
    with pytest.raises(DomainError, match="head of the office"):
        ops.remove_event(event, actor=users["examiner"], reason="x")
    with pytest.raises(DomainError, match="reasons"):
        ops.remove_event(event, actor=users["director"], reason="")
    assert not event.is_removed
    ops.remove_event(event, actor=users["director"], reason="投诉人已提交真实证书")
    assert (event.removed_by, event.removal_reason) == (users["director"], "投诉人已提交真实证书")
    assert event.removed_at is not None
    assert history(case.requesters[0]) == []
    assert history(case.requesters[0], include_removed=True) == [event]
    entries = [e.event for e in case.timeline if e.event.startswith("credit.")]
    assert entries == ["credit.recorded", "credit.removed"]
    assert not any(e.is_public for e in case.timeline if e.event.startswith("credit."))
    with pytest.raises(DomainError, match="already been removed"):
        ops.remove_event(event, actor=users["director"], reason="x")


# -- concurrency (PostgreSQL: two connections insert at the same time) ---------------------------


@pytest.fixture
def pg_app(tmp_path_factory):
    if not PG_AVAILABLE:
        pytest.skip("PostgreSQL not reachable")

    config = database_config("postgresql", tmp_path_factory, "credit")
    application = make_app(config, SQLALCHEMY_ENGINE_OPTIONS={**config["SQLALCHEMY_ENGINE_OPTIONS"], "pool_size": 10})
    try:
        with application.app_context():
            upgrade()
            factories.seed_base()
            db.session.commit()
            db.session.remove()
        yield application
    finally:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()
        drop_database(config)


@pytest.mark.postgresql
def test_concurrent_recording_keeps_one_row(pg_app):
    with pg_app.app_context():
        case = factories.create_case(Channel.adjudication)
        db.session.commit()
        case_id, party_id = case.id, case.respondents[0].id
        db.session.remove()
    count = 8
    barrier = threading.Barrier(count)
    results, errors = [], []
    lock = threading.Lock()

    def runner():
        with pg_app.app_context():
            try:
                case = db.session.get(Case, case_id)
                party = db.session.get(Party, party_id)
                barrier.wait(timeout=30)
                event = record_event(case, party, K.decision_unperformed, actor=None, at=clock.now())
                db.session.commit()
                with lock:
                    results.append(event is not None)
            except BaseException as exc:  # reported in the test's thread
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=runner) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert sorted(results) == [False] * (count - 1) + [True]
    with pg_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CreditEvent)) == 1
        stmt = sa.select(sa.func.count()).select_from(TimelineEntry).where(TimelineEntry.event == "credit.recorded")
        assert db.session.scalar(stmt) == 1
        db.session.remove()


# -- who sees the records ---------------------------------------------------------------------------


@pytest.fixture
def histories(app, create_case, users):
    """A Chengdu case and a Chongqing case against the same respondent, which Chengdu found to
    infringe earlier; ``party`` is the requester of both cases."""
    cd = create_case(Channel.adjudication, respondent="重庆某某制造有限公司", actor=users["examiner"])
    cq = create_case(
        Channel.adjudication, organisation="cqip", respondent="重庆某某制造有限公司", actor=users["cqexaminer"]
    )
    for case in (cd, cq):
        case.requesters[0].user = users["party"]
    record_event(
        cd,
        cd.respondents[0],
        K.infringement_found,
        actor=users["director"],
        at=clock.now() - timedelta(1),
        note="认定侵权成立",
    )
    record_event(cd, cd.respondents[0], K.decision_unperformed, actor=users["director"], at=clock.now())
    commit()
    return cd, cq


def test_party_users_never_see_the_panel(client_as, histories, text):
    cd, cq = histories
    party = client_as("party")
    for case in (cd, cq):
        page = text(party.get(f"/cases/{case.id}"))
        assert page and case.number in page
        assert 'id="credit"' not in page
        assert "Credit records" not in page
        assert "认定侵权成立" not in page
    assert party.get("/credit/", query_string={"q": "重庆某某制造有限公司"}).status_code == 403


def test_another_region_sees_the_history_but_not_the_case(client_as, histories, text):
    cd, cq = histories
    page = text(client_as("cqexaminer").get(f"/cases/{cq.id}"))
    assert 'id="credit"' in page
    assert "Infringement found" in page
    assert "Decision not performed" in page
    assert "Has not performed a decision" in page  # the flag
    assert "认定侵权成立" in page
    assert "A case at 成都市知识产权局" in page
    assert cd.number not in page
    assert f'href="/cases/{cd.id}"' not in page
    # Chengdu's staff see the same history of their own region with the link
    page = text(client_as("examiner").get(f"/cases/{cd.id}"))
    assert 'id="credit"' in page
    assert "No record on other cases." in page  # the panel shows other cases only
    search = text(client_as("examiner").get("/credit/", query_string={"q": "重庆 某某制造"}))
    assert f'href="/cases/{cd.id}"' in search and cd.number in search
    search = text(client_as("cqexaminer").get("/credit/", query_string={"q": "重庆某某制造有限公司"}))
    assert "Infringement found" in search
    assert cd.number not in search


def test_search_by_document_number(client_as, app, create_case, users, text):
    case = create_case(Channel.adjudication, respondent="某公司", actor=users["examiner"])
    case_ops.update_party(case.respondents[0], {"id_type": IdType.uscc, "id_number": USCC}, actor=None)
    record_event(case, case.respondents[0], K.exhibitor_violation, actor=None, at=clock.now())
    commit()
    client = client_as("director")
    assert "Exhibitor violation" in text(client.get("/credit/", query_string={"q": USCC.lower()}))
    assert "No credit record" in text(client.get("/credit/", query_string={"q": USCC[:-1]}))
    assert "No credit record" in text(client.get("/credit/", query_string={"q": "%"}))
    assert client_as("expert").get("/credit/").status_code == 403


def test_manual_entries_and_removal_through_the_panel(client_as, app, create_case, users, text):
    case = create_case(Channel.adjudication, actor=users["examiner"])
    commit()
    party = case.requesters[0]
    examiner = client_as("examiner")
    data = {"credit-party_id": party.id, "credit-kind": "false_complaint", "credit-reason": "伪造证据"}
    assert examiner.post(f"/credit/cases/{case.id}/entries", data=data).status_code == 403
    assert client_as("cqexaminer").post(f"/credit/cases/{case.id}/entries", data=data).status_code == 404
    director = client_as("director")
    page = text(
        director.post(f"/credit/cases/{case.id}/entries", data=data | {"credit-reason": ""}, follow_redirects=True)
    )
    assert "required" in page
    page = text(
        director.post(
            f"/credit/cases/{case.id}/entries", data=data | {"credit-kind": "infringement_found"}, follow_redirects=True
        )
    )
    assert "Not a valid choice" in page
    assert rows() == []
    page = text(director.post(f"/credit/cases/{case.id}/entries", data=data, follow_redirects=True))
    assert "Credit record added." in page
    (event,) = rows()
    assert (event.kind, event.note, event.party_id) == (K.false_complaint, "伪造证据", party.id)
    assert examiner.post(f"/credit/events/{event.id}/remove", data={"removal-reason": "x"}).status_code == 403
    page = text(director.post(f"/credit/events/{event.id}/remove", data={"removal-reason": ""}, follow_redirects=True))
    assert "required" in page
    db.session.refresh(event)
    assert not event.is_removed
    page = text(
        director.post(f"/credit/events/{event.id}/remove", data={"removal-reason": "复核撤销"}, follow_redirects=True)
    )
    assert "Credit record removed." in page
    db.session.refresh(event)
    assert event.is_removed and event.removal_reason == "复核撤销"
    assert "复核撤销" in page  # the removal stays visible, with its reasons
    assert director.post("/credit/events/999999/remove", data={"removal-reason": "x"}).status_code == 404


def test_party_roles_are_recorded_by_name(app, create_case):
    case = create_case(Channel.adjudication)
    third = case_ops.add_party(case, factories.party_data(PartyRole.third_party, "第三人公司"), actor=None)
    event = record_event(case, third, K.false_complaint, actor=None, at=clock.now())
    assert (event.subject_name, event.subject_key) == ("第三人公司", subject_key("第三人公司"))
