"""Read side of the portal: what a party's status page shows, the documents served on it, its
own cases, and the survey statistics. Everything here is filtered for one party of one case."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import get_locale

from ipcase.cases.evidence import EvidenceItem
from ipcase.cases.models import Case, Party, TimelineEntry
from ipcase.cases.registry import get_channel
from ipcase.cases.timeline import render_entry
from ipcase.channels.forms import describe
from ipcase.core.extensions import db
from ipcase.deadlines.calendar import Unit
from ipcase.deadlines.models import OPEN_STATES, Deadline, DeadlineState, ExcludedPeriod
from ipcase.deadlines.rules import UnknownRule, get_rule
from ipcase.documents.models import IssuedDocument
from ipcase.documents.queries import served_on_parties
from ipcase.organisations.models import Organisation
from ipcase.portal import status as public
from ipcase.portal.models import PortalRequest, SatisfactionSurvey


@dataclass(frozen=True)
class NextStep:
    """A running period as the parties see it: what happens, by when, under which article."""

    text: Any
    due: date | datetime
    basis: str
    is_paused: bool
    is_hours: bool
    #: the party the period runs for, when it is another party's (the respondent's defence)
    party_name: str = ""


@dataclass(frozen=True)
class PublicEvent:
    at: datetime
    text: str
    kind: str


@dataclass
class StatusPage:
    case: Case
    party: Party
    status: public.PublicStatus
    office: str
    next_steps: list[NextStep] = field(default_factory=list)
    paused: list[ExcludedPeriod] = field(default_factory=list)
    events: list[PublicEvent] = field(default_factory=list)
    documents: list[Any] = field(default_factory=list)
    own_requests: list[PortalRequest] = field(default_factory=list)
    own_evidence: list[EvidenceItem] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    can_rate: bool = False
    has_rated: bool = False


def office_name(org: Organisation) -> str:
    if not str(get_locale()).startswith("zh") and org.name_en:
        return org.name_en
    return org.name


def status_page(case: Case, party: Party) -> StatusPage:
    """Everything the status page shows to ``party`` of ``case``, and nothing else."""
    rated = (
        db.session.scalar(
            sa.select(SatisfactionSurvey.id).where(
                SatisfactionSurvey.case_id == case.id, SatisfactionSurvey.party_id == party.id
            )
        )
        is not None
    )
    return StatusPage(
        case=case,
        party=party,
        status=public.public_status(case.channel, case.state),
        office=office_name(case.organisation),
        next_steps=next_steps(case, party),
        paused=list(
            db.session.scalars(
                sa.select(ExcludedPeriod)
                .where(ExcludedPeriod.case_id == case.id)
                .order_by(ExcludedPeriod.starts_on, ExcludedPeriod.id)
            )
        ),
        events=public_events(case),
        documents=documents_served_on(party),
        own_requests=list(
            db.session.scalars(
                sa.select(PortalRequest)
                .where(PortalRequest.case_id == case.id, PortalRequest.party_id == party.id)
                .order_by(PortalRequest.id.desc())
            )
        ),
        own_evidence=list(
            db.session.scalars(
                sa.select(EvidenceItem)
                .where(EvidenceItem.case_id == case.id, EvidenceItem.submitted_by_party_id == party.id)
                .order_by(EvidenceItem.position)
            )
        ),
        actions=public.online_actions(case.channel, case.state, party.role, is_closed=case.is_closed),
        can_rate=case.is_closed and not rated,
        has_rated=rated,
    )


def next_steps(case: Case, party: Party) -> list[NextStep]:
    """The case's open periods that ``party`` is told about, soonest first: the case's own, and
    of those that run once per party (``Rule.per_party``) its own — never another party's window
    of a kind it has itself (each party's lawsuit window runs from the service on it); another
    party's period of a kind it has not (the respondent's defence) with that party's name."""
    deadlines = db.session.scalars(
        sa.select(Deadline)
        .where(Deadline.case_id == case.id, Deadline.state.in_(OPEN_STATES))
        .order_by(Deadline.due_at, Deadline.id)
    )
    steps = []
    for d in deadlines:
        text = public.PUBLIC_DEADLINES.get(d.rule_id)
        if text is None:
            continue
        other = d.party_id is not None and d.party_id != party.id
        if other:
            try:
                roles = get_rule(d.rule_id, d.rule_version).per_party
            except UnknownRule:
                continue
            if party.role.value in roles:
                continue
        is_hours = d.unit == Unit.hours
        steps.append(
            NextStep(
                text=text,
                due=d.due_at if is_hours or d.due_on is None else d.due_on,
                basis=d.basis,
                is_paused=d.state == DeadlineState.suspended,
                is_hours=is_hours,
                party_name=d.party.name if other and d.party is not None else "",
            )
        )
    return steps


def public_events(case: Case) -> list[PublicEvent]:
    """The case's public timeline, newest first: only public entries of public kinds; a step
    shows the public state it led to (and its reasons only where they are written for the
    parties), and internal back-and-forth that does not change the public state is left out."""
    entries = db.session.scalars(
        sa.select(TimelineEntry)
        .where(TimelineEntry.case_id == case.id, TimelineEntry.is_public.is_(True))
        .order_by(TimelineEntry.at.desc(), TimelineEntry.id.desc())
    )
    events = []
    for entry in entries:
        if entry.event not in public.PUBLIC_EVENTS:
            continue
        text = _transition_text(case, entry) if entry.event == "case.transition" else render_entry(entry)
        if text:
            events.append(PublicEvent(entry.at, text, str(entry.kind)))
    return events


def _transition_text(case: Case, entry: TimelineEntry) -> str | None:
    data = entry.data or {}
    action = data.get("action") if isinstance(data.get("action"), dict) else {}
    step = action.get("step", "")
    before = _state_value(data.get("from"))
    after = _state_value(data.get("to"))
    defn = get_channel(case.channel)
    shows_reason = step in public.PUBLIC_REASONS.get(defn.key, frozenset())
    detail_keys = public.PUBLIC_DETAILS.get(defn.key, {}).get(step, ())
    old, new = public.public_status(defn.key, before), public.public_status(defn.key, after)
    if old.code == new.code and not shows_reason and not detail_keys:
        return None
    zh = str(get_locale()).startswith("zh")
    colon, sep = ("：", "；") if zh else (": ", "; ")
    parts = []
    if shows_reason and (data.get("reason") or "").strip():
        parts.append(data["reason"].strip())
    details = data.get("details") if isinstance(data.get("details"), dict) else {}
    shown = {k: v for k, v in details.items() if k in detail_keys}
    transition = defn.workflow.by_action.get(step) if defn.workflow is not None else None
    if shown and transition is not None and transition.form is not None:
        parts += [f"{label}{colon}{value}" for label, value in describe(transition.form, shown)]
    label = str(new.label)
    return f"{label}{colon}{sep.join(parts)}" if parts else label


def _state_value(ref: Any) -> str:
    return ref.get("value", "") if isinstance(ref, dict) else str(ref or "")


@dataclass(frozen=True)
class ServedDocument:
    """A document served on the party, as its status page lists it."""

    id: int
    number: str
    title: str
    served_on: date
    is_superseded: bool


def _served_query(party: Party) -> sa.Select[Any]:
    """Issued documents served on this party (documents.queries.served_on_parties, the rule the
    case page and ``/documents/N/pdf`` follow for party accounts too)."""
    return served_on_parties([party.id])


def documents_served_on(party: Party) -> list[ServedDocument]:
    """The documents served on ``party`` (the documents feature's ``IssuedDocument`` with its
    ``ServiceRecord``), most recently served first."""
    rows = db.session.execute(_served_query(party)).all()
    found = [ServedDocument(doc.id, doc.number, doc.title, served_on, bool(doc.corrections)) for doc, served_on in rows]
    return sorted(found, key=lambda d: (d.served_on, d.id), reverse=True)


def served_document(party: Party, document_id: int) -> Any:
    """The issued document ``document_id`` if it was served on ``party``; None otherwise (whether
    it does not exist or belongs to someone else: the caller answers 404 either way)."""
    row = db.session.execute(_served_query(party).where(IssuedDocument.id == document_id)).first()
    return row[0] if row else None


def own_cases(user_id: int) -> list[tuple[Case, Party]]:
    """The cases a party account follows, newest first, with the party it is in each."""
    rows = db.session.execute(
        sa.select(Case, Party)
        .join(Party, Party.case_id == Case.id)
        .where(Party.user_id == user_id)
        .order_by(Case.received_at.desc(), Case.id.desc())
    )
    return [(case, party) for case, party in rows]


@dataclass(frozen=True)
class SurveyStats:
    count: int
    average: float | None
    #: score → number of answers, for 1 … 5
    by_score: dict[int, int]


def survey_statistics(
    *, organisation_ids: list[int] | None = None, since: datetime | None = None, until: datetime | None = None
) -> SurveyStats:
    """How many parties rated their closed cases, and how: the count, the mean score and the
    distribution, optionally for some organisations and a period (by when the rating was given)."""
    stmt = sa.select(SatisfactionSurvey.score, sa.func.count()).group_by(SatisfactionSurvey.score)
    if organisation_ids is not None:
        stmt = stmt.join(Case, Case.id == SatisfactionSurvey.case_id).where(Case.organisation_id.in_(organisation_ids))
    if since is not None:
        stmt = stmt.where(SatisfactionSurvey.created_at >= since)
    if until is not None:
        stmt = stmt.where(SatisfactionSurvey.created_at < until)
    by_score = dict.fromkeys(range(1, 6), 0)
    for score, n in db.session.execute(stmt):
        by_score[int(score)] = int(n)
    count = sum(by_score.values())
    average = round(sum(s * n for s, n in by_score.items()) / count, 2) if count else None
    return SurveyStats(count=count, average=average, by_score=by_score)
