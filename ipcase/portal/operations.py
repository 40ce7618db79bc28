"""Use cases of the public portal. Each checks, mutates, flushes and records; none commits.

Online filings go through the case file's own operations (``open_case``, ``add_agent``,
``add_evidence``), so a filing is exactly the case staff would have opened at the counter,
with ``source = online`` and the receipt time the moment it arrived: the adjudication
channel's 5-working-day docketing clock ([85]20) starts then."""

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ipcase.auth.models import Role, User
from ipcase.cases import operations as case_ops
from ipcase.cases.enums import CaseSource, Channel, EntryKind, PartyRole, PatentType, RightType
from ipcase.cases.evidence import add_evidence
from ipcase.cases.models import Case, Party
from ipcase.cases.registry import get_channel
from ipcase.cases.timeline import record
from ipcase.cases.validation import canonical_patent
from ipcase.channels.workflow import last_step, take
from ipcase.core import clock
from ipcase.core.db import lock_row
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.organisations.models import Organisation, OrgKind
from ipcase.portal import status as public
from ipcase.portal.access import hash_code, new_code
from ipcase.portal.models import PortalAccess, PortalDraft, PortalRequest, RequestKind, SatisfactionSurvey
from ipcase.portal.uploads import Upload

#: which kinds of organisation take online filings in each channel
RECEIVING_KINDS: dict[Channel, frozenset[OrgKind]] = {
    Channel.adjudication: frozenset({OrgKind.ip_office}),
    Channel.mediation: frozenset({OrgKind.ip_office, OrgKind.mediation_centre}),
    Channel.station: frozenset({OrgKind.workstation}),
    Channel.injunction: frozenset({OrgKind.ip_office}),
}


def receiving_organisations(channel: Channel) -> list[Organisation]:
    """Active organisations that receive online filings in ``channel``."""
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(Organisation.is_active, Organisation.kind.in_(RECEIVING_KINDS[Channel(channel)]))
            .order_by(Organisation.id)
        )
    )


# -- drafts -------------------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_draft(channel: Channel) -> tuple[PortalDraft, str]:
    """A new server-side draft; returns it and the token the browser keeps in its session.
    Expired drafts are purged on the way, so abandoned filings never pile up."""
    purge_expired_drafts()
    token = secrets.token_urlsafe(32)
    draft = PortalDraft(
        token_hash=_token_hash(token),
        channel=Channel(channel).value,
        data={},
        expires_at=clock.now() + timedelta(hours=current_app.config["PORTAL_DRAFT_HOURS"]),
    )
    db.session.add(draft)
    db.session.flush()
    return draft, token


def load_draft(token: str | None, channel: Channel, *, lock: bool = False) -> PortalDraft | None:
    """The draft of this token and channel, unless it has expired. ``lock`` holds its row until
    the transaction ends, so the same filing sent twice at once opens one case, not two."""
    if not token or not isinstance(token, str) or len(token) > 100:
        return None
    stmt = sa.select(PortalDraft).where(PortalDraft.token_hash == _token_hash(token))
    draft = db.session.scalar(stmt.with_for_update() if lock else stmt)
    if draft is None or draft.channel != Channel(channel).value or draft.expires_at <= clock.now():
        return None
    return draft


def save_step(draft: PortalDraft, step: str, raw: dict[str, list[str]]) -> None:
    """Keep one step's form data as typed (re-validated in full when the filing is submitted)."""
    data = dict(draft.data or {})
    data[step] = raw
    draft.data = data
    db.session.flush()


def discard_draft(draft: PortalDraft) -> None:
    db.session.delete(draft)
    db.session.flush()


def purge_expired_drafts() -> int:
    result = db.session.execute(sa.delete(PortalDraft).where(PortalDraft.expires_at <= clock.now()))
    return result.rowcount or 0


# -- online filing -------------------------------------------------------------------------------------


@dataclass
class Filing:
    """A complete, validated online filing (what the steps collected)."""

    channel: Channel
    organisation: Organisation
    requester: dict[str, Any]
    respondent: dict[str, Any]
    right: dict[str, Any]
    requests: str
    facts: str
    channel_data: dict[str, Any] = field(default_factory=dict)
    agents: list[dict[str, Any]] = field(default_factory=list)
    #: (row index, item data) of the evidence list; files come as ``file-<row index>``
    evidence: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


PATENT_TYPE_ZH = {PatentType.invention: "发明", PatentType.utility_model: "实用新型", PatentType.design: "外观设计"}
RIGHT_TYPE_ZH = {RightType.trademark: "商标", RightType.copyright: "著作权", RightType.other: "知识产权"}


def case_title(right: dict[str, Any], patent_type: PatentType | None) -> str:
    """The cause (案由) in the official form, e.g. “一种折叠椅”实用新型专利侵权纠纷."""
    name = (right.get("title") or "").strip()
    if right.get("right_type") == RightType.patent:
        kind = f"{PATENT_TYPE_ZH.get(patent_type, '')}专利" if patent_type else "专利"
    else:
        kind = RIGHT_TYPE_ZH.get(RightType(right.get("right_type") or RightType.other), "知识产权")
    return f"“{name}”{kind}侵权纠纷"[:200]


def _channel_fields(filing: Filing) -> tuple[str, dict[str, Any]]:
    """The case summary and the channel's own data, from 请求事项 and 事实和理由."""
    data = dict(filing.channel_data)
    if filing.channel == Channel.adjudication:
        data["requests"] = filing.requests
        return filing.facts, data
    if filing.channel == Channel.injunction:
        data["requested_measures"] = filing.requests
        return filing.facts, data
    # the official record is kept in Chinese
    return f"请求事项：\n{filing.requests}\n\n事实和理由：\n{filing.facts}", data


def file_online(filing: Filing, uploads: list[Upload]) -> tuple[Case, Party, str]:
    """Open the case a member of the public filed, with its agents and evidence list, and give
    the requester an access code. Returns the case, the requester and the code (shown once)."""
    organisation = filing.organisation
    if not organisation.is_active or organisation.kind not in RECEIVING_KINDS[filing.channel]:
        raise DomainError(("organisation_id", _l("This office does not receive such requests online.")))
    by_row = {_row_of(u.field): u for u in uploads}
    rows = {i for i, _ in filing.evidence}
    if any(row is None or row not in rows for row in by_row):
        raise DomainError(("files", _l("Attach each file to an item of the evidence list.")))
    now = clock.now()
    right = dict(filing.right)
    patent_type = None
    if right.get("right_type") == RightType.patent:
        # the type is read from the number; validated again by add_right
        _, patent_type = canonical_patent(right.get("number", ""), right.get("patent_type"), "right-number")
    summary, channel_data = _channel_fields(filing)
    case = case_ops.open_case(
        channel=filing.channel,
        organisation=organisation,
        actor=None,
        source=CaseSource.online,
        title=case_title(right, patent_type),
        received_at=now,
        summary=summary,
        channel_data=channel_data,
        parties=[filing.requester | {"role": PartyRole.requester}, filing.respondent | {"role": PartyRole.respondent}],
        rights=[right],
        assign_actor=False,
    )
    requester = case.requesters[0]
    for agent in filing.agents[:2]:
        case_ops.add_agent(requester, agent, actor=None)  # type: ignore[arg-type]
    for row, item in filing.evidence:
        upload = by_row.get(row)
        try:
            add_evidence(
                case,
                item | {"submitted_by_party_id": requester.id, "received_at": now},
                actor=None,
                upload=(upload.name, upload.content) if upload else None,
            )
        except DomainError as exc:
            raise exc.prefixed(f"rows-{row}") from exc
    code = issue_access_code(case, requester, actor=None)
    record(
        case,
        "portal.filed",
        actor=None,
        kind=EntryKind.positive,
        is_public=True,
        data={"name": requester.name},
    )
    return case, requester, code


def _row_of(field_name: str) -> int | None:
    prefix, _, number = field_name.partition("-")
    return int(number) if prefix == "file" and number.isdigit() and len(number) < 4 else None


# -- access codes --------------------------------------------------------------------------------------


def issue_access_code(case: Case, party: Party, *, actor: User | None) -> str:
    """A new access code for ``party`` on ``case``; earlier codes of the party stop working.
    Returns the code: it is shown once and only its hash is kept."""
    if party.case_id != case.id:
        raise DomainError(("party_id", _l("Choose a party of this case.")))
    # two staff issuing a code for the party at once: the second waits, then revokes the first's
    case_ops.lock_case(case, party)
    now = clock.now()
    db.session.execute(
        sa.update(PortalAccess)
        .where(PortalAccess.party_id == party.id, PortalAccess.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    code = new_code()
    db.session.add(PortalAccess(case_id=case.id, party_id=party.id, code_hash=hash_code(code), created_by=actor))
    db.session.flush()
    if actor is not None:
        record(case, "portal.code_issued", actor=actor, data={"name": party.name})
    return code


def link_party_to_account(party: Party, user: User) -> None:
    """Link a party (its code proven) to a party account, so the case shows in the account's list."""
    if user.role != Role.party:
        raise DomainError(_l("Only party accounts can follow cases online."))
    if party.user_id == user.id:
        raise DomainError(_l("This case is already in your list."))
    if party.user_id is not None:
        raise DomainError(_l("This party already follows the case with another account. Ask the office for help."))
    party.user_id = user.id
    db.session.flush()
    record(party.case, "portal.account_linked", actor=user, data={"name": party.name})


# -- acting online ---------------------------------------------------------------------------------------

#: online requests that may carry evidence files
FILE_KINDS = frozenset({RequestKind.deficiency_answer, RequestKind.defence})

REQUEST_EVENTS = {
    RequestKind.deficiency_answer: "portal.deficiency_answer",
    RequestKind.defence: "portal.defence",
    RequestKind.withdrawal: "portal.withdrawal",
    RequestKind.hearing_change: "portal.hearing_change",
}


def submit_request(case: Case, party: Party, kind: RequestKind, *, text: str, uploads: list[Upload]) -> PortalRequest:
    """A party acts online: its text and files reach the case file and the staff's list of online
    requests; staff then take the procedural step through the workflow."""
    kind = RequestKind(kind)
    if party.case_id != case.id:
        raise DomainError(_l("You may not act on this case."))
    lock_row(case)  # the case's state is checked on the row as it is now, not as the page saw it
    reason = public.why_not_online(case.channel, case.state, party.role, kind.value, is_closed=case.is_closed)
    if reason:
        raise DomainError(reason)
    text = (text or "").strip()
    if kind in (RequestKind.withdrawal, RequestKind.hearing_change) and not text:
        raise DomainError(("text", _l("Say what you ask for and why.")))
    if not text and not uploads:
        raise DomainError(("text", _l("Write your text or attach at least one file.")))
    if uploads and kind not in FILE_KINDS:
        raise DomainError(("files", _l("Files cannot be sent with this request.")))
    now = clock.now()
    names = []
    for upload in uploads:
        item = add_evidence(
            case,
            {
                "title": upload.name,
                "purpose": str(kind.label),
                "source": str(_l("Sent online")),
                "form": "electronic",
                "submitted_by_party_id": party.id,
                "received_at": now,
            },
            actor=None,
            upload=(upload.name, upload.content),
        )
        names.append(item.filename)
    request = PortalRequest(case_id=case.id, party_id=party.id, kind=kind, text=text, files=names)
    db.session.add(request)
    db.session.flush()
    record(case, REQUEST_EVENTS[kind], actor=None, kind=EntryKind.info, data={"name": party.name})
    return request


def mark_request_handled(request: PortalRequest, *, actor: User) -> None:
    lock_row(request.case)  # marked twice at once: the second sees the first's mark
    if request.handled_at is not None:
        raise DomainError(_l("This online request has already been handled."))
    request.handled_at = clock.now()
    request.handled_by = actor
    db.session.flush()
    record(request.case, "portal.request_handled", actor=actor, data={"name": request.party.name})


def take_step_from_request(
    request: PortalRequest, action: str, *, actor: User, reason: str, details: dict[str, Any]
) -> Any:
    """Take the step that answers an online request, at the request's time of receipt, and mark
    the request handled with a link to the step's timeline entry: one act closes both."""
    lock_row(request.case)  # answered twice at once: the second sees the first's answer
    if request.handled_at is not None:
        raise DomainError(_l("This online request has already been handled."))
    if request.step_action != action:
        raise DomainError(_l("This step does not answer that online request."))
    case = request.case
    taken = take(
        get_channel(case.channel).workflow,
        case,
        action,
        actor=actor,
        reason=reason or request.text,
        at=request.created_at,
        details=details,
    )
    db.session.flush()
    entry = last_step(case)  # the step just taken
    request.handled_at = clock.now()
    request.handled_by = actor
    request.timeline_entry_id = entry.id
    db.session.flush()
    record(case, "portal.request_handled", actor=actor, data={"name": request.party.name})
    return taken


# -- satisfaction survey -------------------------------------------------------------------------------------


def can_rate(case: Case, party: Party) -> bool:
    """A party rates its case once, after it has closed."""
    return case.is_closed and not _rated(case, party)


def _rated(case: Case, party: Party) -> bool:
    return (
        db.session.scalar(
            sa.select(SatisfactionSurvey.id).where(
                SatisfactionSurvey.case_id == case.id, SatisfactionSurvey.party_id == party.id
            )
        )
        is not None
    )


def record_survey(case: Case, party: Party, *, score: int, comment: str = "") -> SatisfactionSurvey:
    """Store a party's satisfaction (1–5) with the handling of a closed case (domain.md §8)."""
    if party.case_id != case.id:
        raise DomainError(_l("You may not rate this case."))
    if not case.is_closed:
        raise DomainError(_l("The survey opens when the case is closed."))
    if _rated(case, party):
        raise DomainError(_l("You have already rated this case. Thank you."))
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise DomainError(("score", _l("Choose a score from 1 to 5.")))
    survey = SatisfactionSurvey(case_id=case.id, party_id=party.id, score=score, comment=(comment or "")[:2000])
    db.session.add(survey)
    db.session.flush()
    record(case, "portal.survey", actor=None, data={"name": party.name})
    return survey
