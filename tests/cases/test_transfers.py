"""Referral to another channel or office: the linked case carries the whole file, refusals change
nothing, and the transfer panel of the case page (head of the office only)."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from ipcase.cases.enums import CaseSource, Channel
from ipcase.cases.evidence import EvidenceItem, add_evidence
from ipcase.cases.models import Agent, Case, IPRight, Party, TimelineEntry
from ipcase.cases.timeline import render_entry
from ipcase.cases.transfers import can_handle, refer_case, referral_steps, transfer_case
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.deadlines.models import Deadline
from ipcase.organisations.models import HostType, Organisation, OrgKind
from tests import factories
from tests.cases.helpers import add_agent, add_patent, add_third_party, commit

PDF = b"%PDF-1.7\n%%EOF\n"


@pytest.fixture(autouse=True)
def english(app):
    """Refusals are matched on their English text."""
    with force_locale("en"):
        yield


@pytest.fixture
def mediation(app, create_case, users):
    """A mediation case at the linkage centre with an agent linked to an account, a second
    right, a third party and two items of evidence (one with a file)."""
    case = create_case(Channel.mediation, organisation="cdmed", actor=users["mediator"])
    requester = case.requesters[0]
    requester.user = users["party"]
    agent = add_agent(requester, "李律师")
    agent.user = users["party2"]
    add_patent(case)
    add_third_party(case)
    add_evidence(
        case,
        {"title": "购买公证书", "purpose": "证明许诺销售", "submitted_by_party_id": requester.id},
        actor=users["mediator"],
        upload=("公证书.pdf", PDF),
    )
    add_evidence(case, {"title": "调解笔录"}, actor=users["mediator"])
    commit()
    return case


def snapshot():
    return tuple(
        db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (Case, Party, Agent, IPRight, EvidenceItem, TimelineEntry)
    )


def refer(case, actor, org="cdip", channel=Channel.adjudication, **kw):
    return refer_case(
        case,
        channel=channel,
        organisation=factories.org(org),
        actor=actor,
        at=kw.pop("at", clock.now()),
        reason=kw.pop("reason", "调解不成，请求人申请行政裁决"),
        **kw,
    )


def test_the_linked_case_carries_the_whole_file(mediation, users):
    history = list(mediation.timeline)
    new = refer(mediation, users["mediator"], fields={"requests": "停止许诺销售"})
    assert new.channel == Channel.adjudication
    assert new.organisation.code == "cdip"
    assert new.referred_from_id == mediation.id
    assert new.source == CaseSource.transfer
    assert new.number.startswith("成知裁字〔")
    assert (new.title, new.summary) == (mediation.title, mediation.summary)
    assert new.requests == "停止许诺销售"
    assert new.created_by == users["mediator"]
    # parties, with their accounts and agents (and the agents' accounts)
    assert [(p.role, p.name, p.user_id) for p in new.parties] == [
        (p.role, p.name, p.user_id) for p in mediation.parties
    ]
    assert new.requesters[0].user == users["party"]
    assert [(a.name, a.firm, a.authority, a.user_id) for a in new.requesters[0].agents] == [
        ("李律师", "四川某律师事务所", mediation.requesters[0].agents[0].authority, users["party2"].id)
    ]
    assert {p.id for p in new.parties}.isdisjoint({p.id for p in mediation.parties})
    # rights
    assert [(r.number, r.patent_type, r.title) for r in new.rights] == [
        (r.number, r.patent_type, r.title) for r in mediation.rights
    ]
    # evidence, the file included, submitted by the copy of the same party
    copied = db.session.scalars(
        sa.select(EvidenceItem).where(EvidenceItem.case_id == new.id).order_by(EvidenceItem.position)
    ).all()
    assert [(i.position, i.title, i.purpose, i.sha256) for i in copied] == [
        (1, "购买公证书", "证明许诺销售", mediation_item(mediation, 1).sha256),
        (2, "调解笔录", "", None),
    ]
    assert copied[0].data == PDF
    assert copied[0].submitted_by_party_id == new.requesters[0].id
    # the history: every entry of the original, at its own time, by its own actor, marked
    copies = [e for e in new.timeline if (e.data or {}).get("copied_from")]
    assert [(e.event, e.at, e.actor_id, e.kind, e.is_public) for e in copies] == [
        (e.event, e.at, e.actor_id, e.kind, e.is_public) for e in history
    ]
    assert all(e.data["copied_from"] == mediation.number for e in copies)
    assert render_entry(copies[0]).startswith(f"[{mediation.number}] ")
    # both cases say where the file went
    (to,) = [e for e in mediation.timeline if e.event == "case.referred_to"]
    (source,) = [e for e in new.timeline if e.event == "case.referred_from"]
    assert new.number in render_entry(to)
    assert "成都市知识产权局" in render_entry(to)
    assert mediation.number in render_entry(source)
    # the intake period of the new procedure runs
    assert db.session.scalars(sa.select(Deadline.rule_id).where(Deadline.case_id == new.id)).all()
    # the original is untouched otherwise
    assert mediation.timeline[: len(history)] == history
    assert not mediation.is_closed


def mediation_item(case, position):
    return db.session.scalars(
        sa.select(EvidenceItem).where(EvidenceItem.case_id == case.id, EvidenceItem.position == position)
    ).one()


def test_a_copied_case_keeps_the_first_origin(mediation, users):
    adjudication = refer(mediation, users["mediator"])
    injunction = refer(adjudication, users["examiner"], channel=Channel.injunction)
    origins = {(e.data or {}).get("copied_from") for e in injunction.timeline}
    assert {mediation.number, adjudication.number} <= origins
    # an injunction from an adjudication of the same office protects it
    assert injunction.main_case_id == adjudication.id
    # the actor works there: the new case is theirs
    assert users["examiner"] in injunction.assignees()


def test_mediation_needs_a_type_and_gets_a_sensible_one(app, create_case, users):
    station = create_case(Channel.station, organisation="cdexpo", actor=users["station"])
    new = refer(station, users["station"], org="cdmed", channel=Channel.mediation)
    assert new.mediation_type == "administrative"
    chosen = refer(
        station, users["station"], org="cdip", channel=Channel.mediation, fields={"mediation_type": "peoples"}
    )
    assert chosen.mediation_type == "peoples"


@pytest.fixture
def closed_org(app):
    org = Organisation(
        code="oldip",
        name="已撤销的知识产权局",
        abbr="旧知",
        kind=OrgKind.ip_office,
        region_code="510100",
        region_name="成都市",
        is_active=False,
    )
    db.session.add(org)
    db.session.flush()
    return org


@pytest.mark.parametrize(
    ("org", "channel", "message"),
    [
        ("cdmed", Channel.mediation, "already in this procedure"),
        ("oldip", Channel.adjudication, "no longer receives cases"),
        ("cdmed", Channel.adjudication, "does not handle"),
        ("cdmed", Channel.injunction, "does not handle"),
        ("cdexpo", Channel.mediation, "does not handle"),
        ("cdip", Channel.station, "does not handle"),
    ],
)
def test_refused_referrals_change_nothing(mediation, users, closed_org, org, channel, message):
    before = snapshot()
    with pytest.raises(DomainError, match=message):
        refer(mediation, users["mediator"], org=org, channel=channel)
    assert snapshot() == before


def test_refused_actor_and_time_change_nothing(mediation, users):
    before = snapshot()
    with pytest.raises(DomainError, match="may not act"):
        refer(mediation, users["cqexaminer"])
    with pytest.raises(DomainError, match="may not act"):
        refer(mediation, users["expert"])
    with pytest.raises(DomainError, match="between"):
        refer(mediation, users["mediator"], at=clock.now() + timedelta(hours=1))
    with pytest.raises(DomainError, match="between"):
        refer(mediation, users["mediator"], at=mediation.received_at - timedelta(minutes=1))
    assert snapshot() == before


def test_which_organisations_handle_which_channels(app):
    ws = Organisation(code="x", name="x", abbr="x", kind=OrgKind.workstation, host_type=HostType.market)
    centre = Organisation(code="y", name="y", abbr="y", kind=OrgKind.protection_centre)
    assert can_handle(ws, Channel.station) and not can_handle(ws, Channel.adjudication)
    assert can_handle(centre, Channel.adjudication) and can_handle(centre, Channel.injunction)
    assert can_handle(centre, Channel.mediation) and not can_handle(centre, Channel.station)


def test_transfer_is_for_the_head_of_the_office(app, create_case, users):
    case = create_case(Channel.adjudication, actor=users["examiner"])
    before = snapshot()
    with pytest.raises(DomainError, match="head of the office"):
        transfer_case(
            case,
            organisation=factories.org("cqip"),
            channel=Channel.adjudication,
            actor=users["examiner"],
            reason="无管辖权",
        )
    with pytest.raises(DomainError, match="reasons"):
        transfer_case(
            case, organisation=factories.org("cqip"), channel=Channel.adjudication, actor=users["director"], reason=" "
        )
    with pytest.raises(DomainError, match="other than"):
        transfer_case(
            case,
            organisation=factories.org("cdip"),
            channel=Channel.mediation,
            actor=users["director"],
            reason="转调解",
        )
    assert snapshot() == before
    new = transfer_case(
        case,
        organisation=factories.org("cqip"),
        channel=Channel.adjudication,
        actor=users["director"],
        reason="被请求人住所地及侵权行为地均在重庆",
    )
    assert new.number.startswith("渝知裁字")
    assert new.assignments == []  # the director does not work there
    assert case.state == "received"  # the original's state is the procedure's business


# -- the panel and its route ---------------------------------------------------------------------


def test_transfer_through_the_panel(client_as, create_case, users, text):
    case = create_case(Channel.adjudication, actor=users["examiner"])
    commit()
    director = client_as("director")
    page = text(director.get(f"/cases/{case.id}"))
    assert f'action="/cases/{case.id}/transfer"' in page
    assert "重庆市知识产权局" in page  # a target
    assert "does not change the state of this case" in page
    # examiners see no form and may not post
    assert f'action="/cases/{case.id}/transfer"' not in text(client_as("examiner").get(f"/cases/{case.id}"))
    before = snapshot()
    assert client_as("examiner").post(f"/cases/{case.id}/transfer", data={}).status_code == 403
    # refused: its own organisation is not a target; no reasons; a kind that cannot handle it
    cdip, cdmed, cqip = (factories.org(c).id for c in ("cdip", "cdmed", "cqip"))
    for data, message in [
        ({"transfer-organisation_id": cdip, "transfer-channel": "mediation", "transfer-reason": "x"}, "Not a valid"),
        ({"transfer-organisation_id": cqip, "transfer-channel": "adjudication", "transfer-reason": ""}, "required"),
        (
            {"transfer-organisation_id": cdmed, "transfer-channel": "adjudication", "transfer-reason": "x"},
            "does not handle",
        ),
    ]:
        response = director.post(f"/cases/{case.id}/transfer", data=data, follow_redirects=True)
        assert message in text(response), data
        assert snapshot() == before, data
    response = director.post(
        f"/cases/{case.id}/transfer",
        data={"transfer-organisation_id": cqip, "transfer-channel": "adjudication", "transfer-reason": "无管辖权"},
        follow_redirects=True,
    )
    page = text(response)
    new = db.session.scalars(sa.select(Case).where(Case.referred_from_id == case.id)).one()
    assert f"Transferred: case {new.number} opened" in page
    assert f'href="/cases/{new.id}"' not in page  # another region's case: the number, no link
    assert new.number in page
    # the other region sees where it came from, without a link into Chengdu's case
    foreign = text(client_as("cqexaminer").get(f"/cases/{new.id}"))
    assert "Referred from" in foreign
    assert case.number in foreign
    assert f'href="/cases/{case.id}"' not in foreign
    # parties see no panel
    assert 'id="referral"' not in text(client_as("party").get(f"/cases/{case.id}"))


def test_the_panel_points_to_the_procedures_own_steps(client_as, create_case, users, text):
    assert referral_steps(Channel.station)  # refer to adjudication or mediation, transfer
    assert referral_steps(Channel.mediation)
    case = create_case(Channel.station, organisation="cdexpo", actor=users["station"])
    commit()
    page = text(client_as("director").get(f"/cases/{case.id}"))
    assert "This procedure has its own step for this" in page
    for label in referral_steps(Channel.station):
        assert str(label) in page
