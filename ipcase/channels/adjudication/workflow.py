"""The adjudication procedure as one transition table (domain.md §2.1 A1–A20, §2.2; [85] articles
cited).

Each row: the action, who may take it, from which states to which (``None``: a step recorded
without a change of state), the procedural event it records (which meets and starts the periods
of ``ipcase.deadlines.rules``), its conditions, the documents it calls for, and — where the
examiner records more than a time and reasons — its form (``forms.py``) and the ``apply`` that
checks and applies those details. A refused step changes nothing and says why.

Besides the main path (docket → serve → defence → evidence → hearing → deliberation → closing
approval → decision), the table holds the side procedures of a real file: the jurisdiction
objection ([85]9) and the transfer it may lead to, recusal ([85]5), the evidence period and its
extension ([85]54), appraisal ([85]53), investigation and registration preservation ([85]44–50),
the technical investigator's opinion ([85]52), joinder ([85]23–24), settlement ([85]35), and after
the decision its service, the demand for performance and enforcement ([85]80), and corrections
([85]33). Time that [85]37 excludes from the time limit (objection, appraisal, extended evidence
period, settlement) is recorded as excluded periods by the steps that begin and end it."""

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ipcase.auth.models import Role, User
from ipcase.cases.enums import PANEL_ROLES, AssignmentRole, Channel, EntryKind, PartyRole, RightType
from ipcase.cases.models import Case, Party
from ipcase.cases.operations import panel_problems
from ipcase.cases.timeline import record
from ipcase.channels.adjudication import forms as f
from ipcase.channels.adjudication.states import (
    CLOSED,
    INFRINGING,
    RESCHEDULE_NOTICE_DAYS,
    AppraisalStage,
    ClosedHearingReason,
    DecisionOutcome,
    RefusalGround,
    SuspensionGround,
    earliest_hearing_day,
    vote_problem,
)
from ipcase.channels.adjudication.states import AdjudicationState as S
from ipcase.channels.workflow import (
    Transition,
    Workflow,
    choice_detail,
    docketing_decided,
    mark_docketed,
    period_over,
    period_running,
    records,
    waive_period,
)
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.deadlines.models import OPEN_STATES, Deadline, DeadlineState, ExcludedPeriod, ExclusionKind

OFFICE = frozenset({Role.examiner, Role.director})
DIRECTOR = frozenset({Role.director})

#: states in which the case is being heard (docketed, not yet closed)
HEARING_STAGES = frozenset(
    {
        S.docketed,
        S.served,
        S.defence_period,
        S.evidence,
        S.hearing_scheduled,
        S.heard,
        S.deliberation,
        S.closing_approval,
    }
)
SUSPENDABLE = HEARING_STAGES - {S.closing_approval}
#: from docketing until the oral hearing has been held (recusal, joinder: [85]5, [85]24)
BEFORE_HEARING_ENDS = frozenset({S.docketed, S.served, S.defence_period, S.evidence, S.hearing_scheduled})
#: while the facts are being established
FACT_FINDING = BEFORE_HEARING_ENDS | {S.heard}
#: the request served, the evidence stage not yet over
EVIDENCE_STAGES = frozenset({S.served, S.defence_period, S.evidence, S.hearing_scheduled})
#: a decision has been made and the file is closed
DECIDED = frozenset({S.closed_decided, S.published, S.litigated, S.enforcement_requested})
#: where a warned person's demand and the advisory opinion are recorded ([85]13): any open state
ADVISORY_STAGES = frozenset({S.received, S.deficient}) | HEARING_STAGES
#: the decision's follow-up: service, demand, enforcement ([85]80)
AFTER_DECISION = frozenset({S.closed_decided, S.published})

# -- reading the case -------------------------------------------------------------------------------


def _latest(case: Case, *rule_ids: str) -> Deadline | None:
    return db.session.scalars(
        sa.select(Deadline)
        .where(Deadline.case_id == case.id, Deadline.rule_id.in_(rule_ids))
        .order_by(Deadline.id.desc())
        .limit(1)
    ).first()


def _open_exclusion(case: Case, kind: ExclusionKind) -> ExcludedPeriod | None:
    return db.session.scalars(
        sa.select(ExcludedPeriod).where(
            ExcludedPeriod.case_id == case.id, ExcludedPeriod.kind == kind, ExcludedPeriod.ends_on.is_(None)
        )
    ).first()


def _steps_taken(case: Case, action: str) -> list[dict[str, Any]]:
    """The recorded details of every time ``action`` was taken on this case, oldest first (not
    the history copied from a case this one was transferred from)."""
    return [
        (e.data or {}).get("details") or {} for e in _own_transitions(case) if e.data["action"].get("step") == action
    ]


def _own_transitions(case: Case) -> list[Any]:
    return [
        e
        for e in case.timeline
        if e.event == "case.transition"
        and isinstance((e.data or {}).get("action"), dict)
        and not e.data.get("copied_from")
    ]


def _pending(case: Case, opened_by: tuple[str, ...], answered_by: tuple[str, ...]) -> bool:
    """Whether a matter raised by one of ``opened_by`` still awaits one of ``answered_by``: a
    request, objection or defence awaits its answer even once the office's period for it has
    been missed (the period's state then no longer says)."""
    opened = sum(len(_steps_taken(case, a)) for a in opened_by)
    answered = sum(len(_steps_taken(case, a)) for a in answered_by)
    return opened > answered


OBJECTION = (("receive_jurisdiction_objection",), ("dismiss_jurisdiction_objection", "transfer_on_objection"))
PRESERVATION = (("request_preservation",), ("decide_preservation",))
DEFENCE = (("receive_defence",), ("forward_defence",))


def _party(case: Case, party_id: Any, *roles: PartyRole) -> Party:
    party = next((p for p in case.parties if p.id == party_id), None)
    if party is None or (roles and party.role not in roles):
        raise DomainError(("party", _l("Choose a party of this case.")))
    return party


def _detail_name(details: dict[str, Any], key: str, name: str, ident: int) -> None:
    """Keep a chosen party, official or office on the timeline by name (and its id, unshown)."""
    details[key] = name
    details[f"{key}_id"] = ident


def parties_joined(case: Case) -> list[int]:
    """Parties added to the case after it was docketed whose joinder is not yet recorded."""
    db.session.flush()
    docketed = next((e.id for e in _own_transitions(case) if e.data["action"].get("step") == "docket"), None)
    if docketed is None:
        return []
    added = {
        (e.data.get("name"), (e.data.get("role") or {}).get("value"))
        for e in case.timeline
        if e.event == "party.added" and e.id is not None and e.id > docketed
    }
    recorded = {d.get("party_id") for d in _steps_taken(case, "record_joinder")}
    return [p.id for p in case.parties if (p.name, p.role.value) in added and p.id not in recorded]


# -- guards: each returns why the move is not possible, or None --------------------------------


def parties_and_patent(case: Case) -> Any:
    roles = {p.role for p in case.parties}
    if PartyRole.requester not in roles or PartyRole.respondent not in roles:
        return _l("A case needs at least one requester and one respondent.")
    if not any(r.right_type == RightType.patent for r in case.rights):
        return _l("Record the patent the request is based on.")
    return None


def valid_panel(case: Case) -> Any:
    problems = panel_problems(case)
    return problems[0] if problems else None


#: the defence is missing only once its period has run out ([85]22)
defence_period_over = period_over(
    ("adj.defence", "adj.defence_abroad"),
    _l("The defence period is still running; wait for it to end or record the defence."),
)


def defence_to_forward(case: Case) -> Any:
    if not _pending(case, *DEFENCE):
        return _l("There is no defence waiting to be forwarded to the requester.")
    return None


def request_served(case: Case) -> Any:
    if _latest(case, "adj.defence", "adj.defence_abroad") is None:
        return _l("The request has not been served: an objection is raised within the defence period ([85]9).")
    return None


def no_objection_pending(case: Case) -> Any:
    if _pending(case, *OBJECTION):
        return _l("A jurisdiction objection is awaiting decision ([85]9).")
    return None


def objection_pending(case: Case) -> Any:
    if not _pending(case, *OBJECTION):
        return _l("No jurisdiction objection is awaiting decision.")
    return None


def no_recusal_pending(case: Case) -> Any:
    if getattr(case, "recusal_official_id", None) is not None:
        return _l(
            "A recusal application is awaiting the director's decision; the official concerned stops work ([85]5)."
        )
    return None


def recusal_pending(case: Case) -> Any:
    if getattr(case, "recusal_official_id", None) is None:
        return _l("No recusal application is awaiting decision.")
    return None


def someone_assigned(case: Case) -> Any:
    if not case.assignments:
        return _l("Nobody is assigned to the case yet.")
    return None


def no_evidence_period(case: Case) -> Any:
    if evidence_period_running(case) is None:
        return _l("An evidence period is already running; extend or close it.")
    return None


def evidence_period_running(case: Case) -> Any:
    d = _latest(case, "adj.evidence_period")
    if d is None or d.state not in OPEN_STATES:
        return _l("No evidence period is running.")
    return None


def evidence_period_not_over(case: Case) -> Any:
    d = _latest(case, "adj.evidence_period")
    if d is not None and d.state not in OPEN_STATES:
        return _l("The evidence period is over: appraisal is requested before it expires ([85]53).")
    return None


def _appraisal_at(stage: AppraisalStage | None, message: Any) -> Any:
    def guard(case: Case) -> Any:
        return None if getattr(case, "appraisal_stage", None) == stage else message

    return guard


no_appraisal_under_way = _appraisal_at(None, _l("An appraisal is already under way."))
appraisal_requested = _appraisal_at(AppraisalStage.requested, _l("No appraisal request is awaiting the panel."))
appraisal_needed = _appraisal_at(AppraisalStage.needed, _l("The panel has not found an appraisal necessary."))
appraisal_commissioned = _appraisal_at(AppraisalStage.commissioned, _l("No appraisal has been commissioned."))


def no_preservation_pending(case: Case) -> Any:
    if _pending(case, *PRESERVATION):
        return _l("A preservation request is awaiting the director's decision.")
    return None


def preservation_pending(case: Case) -> Any:
    if not _pending(case, *PRESERVATION):
        return _l("No preservation request is awaiting decision.")
    return None


def evidence_preserved(case: Case) -> Any:
    if not getattr(case, "is_evidence_preserved", False):
        return _l("No evidence is under registration preservation.")
    return None


def tech_investigator_assigned(case: Case) -> Any:
    if not any(a.role == AssignmentRole.tech_investigator for a in case.assignments):
        return _l("Assign a technical investigator to the case first.")
    return None


def party_to_join(case: Case) -> Any:
    if not parties_joined(case):
        return _l(
            "Add the party to the case first: no party added since docketing is waiting for its joinder to be recorded."
        )
    return None


def no_settlement_running(case: Case) -> Any:
    if _open_exclusion(case, ExclusionKind.settlement) is not None:
        return _l("Settlement talks are already under way.")
    return None


def settlement_running(case: Case) -> Any:
    if _open_exclusion(case, ExclusionKind.settlement) is None:
        return _l("No settlement talks are under way.")
    return None


def decision_not_served(case: Case) -> Any:
    if _steps_taken(case, "serve_decision"):
        return _l("The decision has already been served.")
    return None


def infringement_established(case: Case) -> Any:
    if getattr(case, "outcome", None) not in INFRINGING:
        return _l("The decision did not establish infringement: there is nothing to perform.")
    return None


def demand_may_be_served(case: Case) -> Any:
    if not _steps_taken(case, "serve_decision") and _latest(case, "adj.lawsuit_window") is None:
        return _l("Serve the decision first.")
    if _steps_taken(case, "serve_performance_demand"):
        return _l("The demand for performance has already been served.")
    if _steps_taken(case, "record_performance"):
        return _l("The decision has been performed.")
    return None


def lawsuit_windows_passed(case: Case) -> Any:
    """[85]80: the demand for performance comes once every respondent's 15-day window to sue has
    passed (without suit: a lawsuit moves the case out of reach of the demand)."""
    for party in case.respondents:
        window = db.session.scalars(
            sa.select(Deadline)
            .where(
                Deadline.case_id == case.id,
                Deadline.rule_id == "adj.lawsuit_window",
                sa.or_(Deadline.party_id == party.id, Deadline.party_id.is_(None)),
            )
            .order_by(Deadline.id.desc())
            .limit(1)
        ).first()
        if window is None:
            return _l(
                "The decision has not been served on %(party)s: their window to sue has not started.", party=party.name
            )
        if window.state in OPEN_STATES:
            return _l(
                "%(party)s may still sue until %(day)s ([PL]65): the demand for performance comes once the "
                "window has passed without suit ([85]80).",
                party=party.name,
                day=window.due_on.isoformat() if window.due_on else "",
            )
    return None


def a_party_period_runs(case: Case) -> Any:
    from ipcase.channels.workflow import open_party_periods

    if not open_party_periods(case):
        return _l("No period is running for a party.")
    return None


def not_performed(case: Case) -> Any:
    if _steps_taken(case, "record_performance"):
        return _l("The decision has been performed.")
    return None


def demand_period_run_out(case: Case) -> Any:
    """[85]80: enforcement only once the demand was served and its 10 days passed unperformed."""
    d = _latest(case, "adj.performance_demand")
    if d is None:
        return _l("Serve a demand for performance first ([85]80).")
    if d.state in OPEN_STATES:
        return _l("The period set by the demand for performance is still running ([85]80).")
    if d.state == DeadlineState.met or _steps_taken(case, "record_performance"):
        return _l("The decision has been performed.")
    return None


def nonperformance_unrecorded(case: Case) -> Any:
    if _steps_taken(case, "record_nonperformance"):
        return _l("This is already recorded.")
    return None


# -- effects ------------------------------------------------------------------------------------


def stop_docketing_clock(case: Case, actor: User | None, at: datetime, before: str) -> None:
    """A deficiency notice: the 5-working-day docketing period restarts when the request is
    complete ([85]16, [85]20), so the running one is cancelled."""
    for d in db.session.scalars(
        sa.select(Deadline).where(
            Deadline.case_id == case.id, Deadline.rule_id == "adj.docket", Deadline.state.in_(OPEN_STATES)
        )
    ):
        d.state = DeadlineState.cancelled
        d.closed_at = at


def enter_suspension(case: Case, actor: User | None, at: datetime, before: str) -> None:
    """Remember where to return, and stop the time limit ([85]28, [85]37)."""
    from ipcase.deadlines.operations import start_exclusion

    case.state_before_suspension = before
    if actor is not None:
        start_exclusion(case, ExclusionKind.suspension, clock.local_day(at), actor=actor, reason=str(_l("Suspension")))


def leave_suspension(case: Case, actor: User | None, at: datetime, before: str) -> None:
    if not case.state_before_suspension:
        raise DomainError(_l("It is not known where this case was when it was suspended."))
    case.state = case.state_before_suspension
    case.state_before_suspension = None
    _end_exclusion(case, ExclusionKind.suspension, actor, at)


def end_excluded_time(case: Case, actor: User | None, at: datetime, before: str) -> None:
    """The case closes: excluded time still open (settlement, appraisal, an objection) ends with it."""
    for kind in ExclusionKind:
        _end_exclusion(case, kind, actor, at)


@records("deficiency_notified")
def notify_deficiency(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """The deficiency notice gives the requester a date to correct the request ([85]16): the
    period to cure runs for each requester until that day, and the correction meets it."""
    from ipcase.deadlines.operations import recompute_deadline, start_deadline

    cure_by = details.get("cure_by")
    notice_day = clock.local_day(at)
    if cure_by is None or cure_by <= notice_day:
        raise DomainError(("cure_by", _l("The date to correct by must be after the notice's day.")))
    days = (cure_by - notice_day).days
    for party in case.parties_in(PartyRole.requester):
        deadline = start_deadline(case, "adj.cure", started_at=at, actor=actor, party=party)
        if deadline.length != days:
            deadline.length = days
            recompute_deadline(
                deadline,
                actor=actor,
                reason=str(_l("Date to correct by: %(day)s", day=cure_by.isoformat())),
                notify=False,
            )


def refuse_docketing(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """Refusal on its ground ([85]12, [85]20). Deficiencies not corrected ([85]16): only once the
    period to cure given by a deficiency notice has ended."""
    ground = choice_detail(details, "ground", RefusalGround, _l("Choose the ground of the refusal."))
    if ground != RefusalGround.not_cured:
        return
    periods = db.session.scalars(
        sa.select(Deadline).where(Deadline.case_id == case.id, Deadline.rule_id == "adj.cure")
    ).all()
    if not periods:
        raise DomainError(("ground", _l("No deficiency notice was given: there was nothing to correct ([85]16).")))
    running = [d for d in periods if d.state in OPEN_STATES]
    if running:
        raise DomainError(
            (
                "ground",
                _l(
                    "The period to correct the request runs until %(day)s ([85]16): refuse for want of "
                    "correction only once it has ended uncorrected.",
                    day=max(d.due_on for d in running if d.due_on).isoformat(),
                ),
            )
        )


def suspend_on_ground(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """[85]28: the office suspends on one of its grounds; an invalidation suspends only a utility
    model or design case."""
    ground = choice_detail(details, "ground", SuspensionGround, _l("Choose the ground of the suspension."))
    if ground == SuspensionGround.invalidation:
        kinds = {r.patent_type.value for r in case.rights if getattr(r, "patent_type", None) is not None}
        if kinds and not kinds & {"utility_model", "design"}:
            raise DomainError(
                (
                    "ground",
                    _l(
                        "An invalidation request suspends the case only for a utility model or a design "
                        "([85]28); for an invention patent record the refusal to suspend ([85]29)."
                    ),
                )
            )


def refuse_suspension(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """[85]29: a party's request to suspend is refused on its ground (the case goes on)."""
    from ipcase.channels.adjudication.states import SuspensionRefusalGround

    party = _party(case, details["party"])
    choice_detail(details, "ground", SuspensionRefusalGround, _l("Choose the ground of the refusal."))
    if details.get("requested_on") is None or details["requested_on"] > clock.local_day(at):
        raise DomainError(("requested_on", _l("The request cannot be received after the refusal.")))
    _detail_name(details, "party", party.name, party.id)


@records("decision_served")
def serve_decision(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """The decision served on the parties: the day service takes effect is the one its method
    gives (P10: direct — the signature; post — the receipt; public notice — 60 days after
    publication, "when" being the publication; not electronically), and each party's window
    to sue runs from it ([PL]65)."""
    from ipcase.deadlines.operations import meet_deadlines
    from ipcase.deadlines.service_dates import SERVICE_DATE_RULES, is_forbidden, service_day, service_instant
    from ipcase.deadlines.triggers import fire

    method = details.get("method")
    if method not in SERVICE_DATE_RULES or is_forbidden(method, "adjudication_decision"):
        raise DomainError(("method", _l("A decision cannot be served this way (domain rule P10).")))
    served_on = service_day(method, clock.local_day(at))
    if served_on > clock.today():
        raise DomainError(
            (
                "at",
                _l(
                    "Service by public notice takes effect 60 days after publication, on %(day)s (P10): "
                    "record it from that day, with the day of publication as “When”.",
                    day=served_on.isoformat(),
                ),
            )
        )
    details["served_on"] = served_on.isoformat()
    instant = at if served_on == clock.local_day(at) else service_instant(served_on, not_before=at)
    meet_deadlines(case, "decision_served", actor=actor, at=instant)
    fire(case, "decision_served", at=instant, actor=actor)


def _start_exclusion(case: Case, kind: ExclusionKind, actor: User | None, at: datetime, reason: Any) -> None:
    from ipcase.deadlines.operations import start_exclusion

    if actor is not None:
        start_exclusion(case, kind, clock.local_day(at), actor=actor, reason=str(reason)[:500])


def _end_exclusion(case: Case, kind: ExclusionKind, actor: User | None, at: datetime) -> None:
    from ipcase.deadlines.operations import end_exclusion

    period = _open_exclusion(case, kind)
    if period is not None and actor is not None:
        end_exclusion(period, max(period.starts_on, clock.local_day(at)), actor=actor)


# -- applying the details of a step: each may refuse with a DomainError ------------------------


def receive_objection(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """[85]9: raised within the defence period; its decision time is excluded ([85]37)."""
    party = _party(case, details["party"], PartyRole.respondent)
    defence = _latest(case, "adj.defence", "adj.defence_abroad")
    if defence is None:
        raise DomainError(("at", request_served(case)))
    if at > defence.due_at:
        raise DomainError(
            (
                "at",
                _l(
                    "The defence period ended on %(day)s: a jurisdiction objection must be raised within it ([85]9).",
                    day=clock.to_local(defence.due_at).date().isoformat(),
                ),
            )
        )
    _detail_name(details, "party", party.name, party.id)
    _start_exclusion(case, ExclusionKind.jurisdiction_objection, actor, at, _l("Jurisdiction objection"))


def dismiss_objection(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    _end_exclusion(case, ExclusionKind.jurisdiction_objection, actor, at)


def transfer_to_competent_office(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """The objection is upheld: a linked case opens at the competent office with the file ([85]9)."""
    from ipcase.cases.transfers import refer_case
    from ipcase.organisations.models import Organisation

    org = db.session.get(Organisation, details["organisation"])
    if org is None or org.id not in {oid for oid, _ in f.other_offices(case)}:
        raise DomainError(("organisation", _l("Choose another active office that decides patent disputes.")))
    _end_exclusion(case, ExclusionKind.jurisdiction_objection, actor, at)
    new = refer_case(
        case,
        channel=Channel.adjudication,
        organisation=org,
        actor=actor,
        at=at,
        reason=str(_l("Jurisdiction objection upheld ([85]9).")),
    )
    _detail_name(details, "organisation", org.name, org.id)
    details["new_case"] = new.number


def apply_for_recusal(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """[85]5: the official named stops work until the director decides (urgent measures apart)."""
    party = _party(case, details["party"])
    official = next((a.user for a in case.assignments if a.user_id == details["official"]), None)
    if official is None:
        raise DomainError(("official", _l("Choose someone assigned to this case.")))
    _detail_name(details, "party", party.name, party.id)
    _detail_name(details, "official", official.display_name, official.id)
    case.recusal_official_id = official.id  # type: ignore[attr-defined]
    record(
        case,
        "adjudication.recusal_pending",
        actor=actor,
        kind=EntryKind.negative,
        data={"user": official.display_name},
    )


def decide_recusal(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """Granted: the official leaves every role on the case, a replacement may take over; refused:
    the official resumes work."""
    from ipcase.auth.models import User as UserModel
    from ipcase.cases.operations import assign_staff, unassign_staff

    official = db.session.get(UserModel, case.recusal_official_id)  # type: ignore[attr-defined]
    replacement_id = details.get("replacement")
    case.recusal_official_id = None  # type: ignore[attr-defined]
    if official is None:
        raise DomainError(_l("No recusal application is awaiting decision."))
    _detail_name(details, "official", official.display_name, official.id)
    if details["decision"] != "granted":
        if replacement_id:
            raise DomainError(("replacement", _l("A replacement is named only when the recusal is granted.")))
        details.pop("replacement", None)
        return
    roles = [a for a in case.assignments if a.user_id == official.id]
    for assignment in roles:
        unassign_staff(assignment, actor=actor)  # type: ignore[arg-type]
    if replacement_id:
        replacement = db.session.get(UserModel, replacement_id)
        if replacement is None or replacement_id not in {uid for uid, _ in f.replacements(case)}:
            raise DomainError(("replacement", _l("Choose a member of this office's staff not yet on the case.")))
        for assignment in roles:
            assign_staff(case, replacement, assignment.role, actor=actor)
        _detail_name(details, "replacement", replacement.display_name, replacement.id)
    else:
        details.pop("replacement", None)


@records("evidence_notice_received")
def serve_evidence_notice(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """The evidence period runs from the parties' receipt of the notice for the days it gives,
    at least 15 ([85]54). The step records the event ``evidence_notice_received`` itself, because
    the period's length is the notice's, not the rule's default."""
    from ipcase.deadlines.operations import meet_deadlines, recompute_deadline, start_deadline
    from ipcase.deadlines.rules import RULES

    days = int(details["days"])
    meet_deadlines(case, "evidence_notice_received", actor=actor, at=at)
    for rule in RULES:
        if rule.trigger == "evidence_notice_received" and rule.channel == "adjudication":
            deadline = start_deadline(case, rule.id, started_at=at, actor=actor)
            if deadline.length != days:
                deadline.length = days
                recompute_deadline(
                    deadline,
                    actor=actor,
                    reason=str(_l("Evidence period set by the notice: %(days)d days", days=days)),
                    notify=False,
                )


def extend_evidence_period(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """A party's request extends the evidence period; the extension is excluded from the time
    limit ([85]37), as the days following the period's former last day."""
    from ipcase.deadlines.operations import recompute_deadline
    from ipcase.deadlines.rules import get_rule

    party = _party(case, details["party"])
    days = int(details["days"])
    deadline = _latest(case, "adj.evidence_period")
    if deadline is None or deadline.state not in OPEN_STATES or deadline.due_on is None:
        raise DomainError(evidence_period_running(case))
    _detail_name(details, "party", party.name, party.id)
    former_last = deadline.due_on
    deadline.extended_by += days
    reason = str(ExclusionKind.evidence_extension.label)
    recompute_deadline(deadline, actor=actor, reason=reason)
    db.session.add(
        ExcludedPeriod(
            case_id=case.id,
            kind=ExclusionKind.evidence_extension,
            starts_on=former_last + timedelta(days=1),
            ends_on=former_last + timedelta(days=days),
            reason=f"{reason}: {party.name}"[:500],
            created_by_id=actor.id if actor is not None else None,
        )
    )
    db.session.flush()
    for d in db.session.scalars(
        sa.select(Deadline).where(Deadline.case_id == case.id, Deadline.state.in_(OPEN_STATES))
    ).all():
        if get_rule(d.rule_id, d.rule_version).is_pausable:
            recompute_deadline(d, actor=actor, reason=reason)


def request_appraisal(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """Requested in writing before the evidence period expires ([85]53)."""
    party = _party(case, details["party"])
    period = _latest(case, "adj.evidence_period")
    if period is not None and at > period.due_at:
        raise DomainError(
            (
                "at",
                _l(
                    "The evidence period ended on %(day)s: appraisal is requested before it expires ([85]53).",
                    day=clock.to_local(period.due_at).date().isoformat(),
                ),
            )
        )
    _detail_name(details, "party", party.name, party.id)
    case.appraisal_stage = AppraisalStage.requested  # type: ignore[attr-defined]


def decide_appraisal(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    case.appraisal_stage = AppraisalStage.needed if details["decision"] == "needed" else None  # type: ignore[attr-defined]


def commission_appraisal(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """The parties agree the appraiser and the cost; without agreement on the cost there is no
    appraisal ([85]53). The appraisal's time is excluded from the time limit ([85]37)."""
    if not details.get("cost_agreed"):
        raise DomainError(
            (
                "cost_agreed",
                _l(
                    "Without the parties' agreement on the cost there is no appraisal ([85]53): "
                    "record “No appraisal” instead."
                ),
            )
        )
    case.appraisal_stage = AppraisalStage.commissioned  # type: ignore[attr-defined]
    _start_exclusion(case, ExclusionKind.appraisal, actor, at, _l("Appraisal by %(who)s", who=details["appraiser"]))


def abandon_appraisal(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    case.appraisal_stage = None  # type: ignore[attr-defined]


def receive_appraisal_opinion(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    case.appraisal_stage = None  # type: ignore[attr-defined]
    _end_exclusion(case, ExclusionKind.appraisal, actor, at)


def request_preservation(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    if details.get("party") is not None:
        party = _party(case, details["party"])
        _detail_name(details, "party", party.name, party.id)
    else:
        details["party"] = str(_l("The office, of its own motion"))


def decide_preservation(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """Decided by the head of the office within 7 days, with the list of items ([85]49)."""
    if details["decision"] == "granted":
        if not details.get("items"):
            raise DomainError(("items", _l("List the items placed under preservation.")))
        case.is_evidence_preserved = True  # type: ignore[attr-defined]


def not_major(case: Case) -> Any:
    if getattr(case, "is_major", False):
        return _l("The case is already marked as a major case.")
    return None


def major_case(case: Case) -> Any:
    if not getattr(case, "is_major", False):
        return _l("Only a major case's time limit restarts on a change of request ([68]22).")
    return None


def _restart(case: Case, old: str, new: str, actor: User | None, at: datetime, reason: Any) -> None:
    """Cancel the running ``old`` period and start ``new`` from ``at`` in its place (nothing when
    ``old`` is not running: a deficiency notice stopped the docketing clock, the case closed)."""
    from ipcase.deadlines.operations import cancel_open_deadlines, start_deadline

    running = db.session.scalars(
        sa.select(Deadline.id).where(
            Deadline.case_id == case.id, Deadline.rule_id == old, Deadline.state.in_(OPEN_STATES)
        )
    ).all()
    if running:
        cancel_open_deadlines(case, only=set(running), actor=actor, reason=str(reason))
        start_deadline(case, new, started_at=at, actor=actor)


@records("request_received_major", "docketed_major")
def mark_major(case: Case, actor: User | None, at: datetime, before: str) -> None:
    """A case of national impact ([IR]96, certified by the provincial office) is heard under
    [68]: its docketing period (from the request's receipt) and, once docketed, its time limit
    (from docketing) replace the ordinary ones (§2.3)."""
    case.is_major = True  # type: ignore[attr-defined]
    reason = _l("Major case ([68])")
    if case.docketed_at is None:
        _restart(case, "adj.docket", "adj.major_docket", actor, case.received_at, reason)
    else:
        _restart(case, "adj.time_limit", "adj.major_time_limit", actor, case.docketed_at, reason)


@records("request_changed_major")
def restart_major_time_limit(case: Case, actor: User | None, at: datetime, before: str) -> None:
    """P9 ([68]22): the time limit of a major case restarts when the request changes or a
    co-respondent or third party is added (also by joinder); an ordinary case's does not."""
    if not getattr(case, "is_major", False):
        return
    _restart(case, "adj.major_time_limit", "adj.major_time_limit", actor, at, _l("Request changed ([68]22)"))


def advisory_window_over(case: Case) -> Any:
    """[85]13: the warned person may ask for an advisory opinion once the right holder let a
    window (1 month from receipt of the demand, 2 months from its sending) pass."""
    windows = db.session.scalars(
        sa.select(Deadline).where(
            Deadline.case_id == case.id,
            Deadline.rule_id.in_(("adj.advisory_after_receipt", "adj.advisory_after_sending")),
        )
    ).all()
    if not windows:
        return _l("Record first the written demand (催告) to the right holder ([85]13).")
    if any(d.state == DeadlineState.met for d in windows):
        return _l("The right holder withdrew the warning or filed: no advisory opinion is asked ([85]13).")
    if all(d.state in OPEN_STATES for d in windows):
        return _l("The right holder's time to answer the demand has not run out yet ([85]13).")
    return None


def advisory_opinion_pending(case: Case) -> Any:
    if not _pending(case, ("request_advisory_opinion",), ("give_advisory_opinion",)):
        return _l("No advisory opinion has been asked for.")
    return None


def no_advisory_request(case: Case) -> Any:
    if _steps_taken(case, "request_advisory_opinion"):
        return _l("An advisory opinion has already been asked for.")
    return None


warning_unanswered = period_running(
    ("adj.advisory_after_receipt", "adj.advisory_after_sending"),
    _l("No written demand (催告) awaits the right holder's answer ([85]13)."),
)
items_to_collect = period_running(("adj.collect_preserved",), _l("No released items await collection."))
rightholder_may_apply = period_running(
    ("adj.rightholder_enforcement",),
    _l("The right holder applies once the office's 3 months have passed without its application ([85]80)."),
)
hearing_reply_awaited = period_running(
    ("adj.hearing_reply",), _l("No hearing reply slip is awaited: the hearing notice starts its 3 days.")
)
court_change_unpublished = period_running(
    ("adj.publication_of_change",), _l("Record first the judgment that changed the decision.")
)


def release_preservation(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    case.is_evidence_preserved = False  # type: ignore[attr-defined]


def request_assistance(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """A request to another office for help in gathering evidence ([85]50)."""
    from ipcase.organisations.models import Organisation

    org = db.session.get(Organisation, details["organisation"])
    if org is None or org.id not in {oid for oid, _ in f.other_offices(case)}:
        raise DomainError(("organisation", _l("Choose another active office that decides patent disputes.")))
    _detail_name(details, "organisation", org.name, org.id)


def receive_tech_opinion(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    investigator = next(
        (
            a.user
            for a in case.assignments
            if a.user_id == details["investigator"] and a.role == AssignmentRole.tech_investigator
        ),
        None,
    )
    if investigator is None:
        raise DomainError(("investigator", _l("Choose the technical investigator assigned to this case.")))
    _detail_name(details, "investigator", investigator.display_name, investigator.id)


def record_joinder(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    if details["party"] not in parties_joined(case):
        raise DomainError(("party", party_to_join(case) or _l("Choose a party added since docketing.")))
    party = _party(case, details["party"])
    _detail_name(details, "party", party.name, party.id)


def _hearing(case: Case, details: dict[str, Any], at: datetime) -> None:
    """Check and store the hearing notified at ``at`` ([85]26)."""
    from ipcase.deadlines.service import load_calendar

    when = clock.from_local(details["hearing_at"])
    notice_day = clock.local_day(at)
    earliest = earliest_hearing_day(load_calendar(), notice_day)
    if clock.local_day(when) < earliest:
        raise DomainError(
            (
                "hearing_at",
                _l(
                    "The parties must be notified at least 3 working days before the hearing ([85]26): "
                    "for a notice given on %(notice)s the earliest hearing date is %(earliest)s.",
                    notice=notice_day.isoformat(),
                    earliest=earliest.isoformat(),
                ),
            )
        )
    if not details.get("online") and not details.get("place"):
        raise DomainError(("place", _l("Give the place of the hearing, or mark it as held online.")))
    closed = details["publicity"] == "closed"
    if closed and not details.get("closed_reason"):
        raise DomainError(("closed_reason", _l("Say why the hearing is not public ([85]26).")))
    if not closed:
        details.pop("closed_reason", None)
    case.hearing_at = when  # type: ignore[attr-defined]
    case.hearing_place = details.get("place") or ""  # type: ignore[attr-defined]
    case.is_hearing_online = bool(details.get("online"))  # type: ignore[attr-defined]
    case.is_hearing_public = not closed  # type: ignore[attr-defined]
    case.hearing_closed_reason = ClosedHearingReason(details["closed_reason"]) if closed else None  # type: ignore[attr-defined]


def schedule_hearing(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    _hearing(case, details, at)


def reschedule_hearing(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """At a party's request made at least 3 days before the hearing ([78] hearing notice)."""
    party = _party(case, details["party"])
    current = case.hearing_at  # type: ignore[attr-defined]
    if current is not None:
        latest = clock.local_day(current) - timedelta(days=RESCHEDULE_NOTICE_DAYS)
        if details["requested_on"] > latest:
            raise DomainError(
                (
                    "requested_on",
                    _l(
                        "A party asks to reschedule at least 3 days before the hearing: "
                        "for the hearing on %(day)s, by %(latest)s.",
                        day=clock.local_day(current).isoformat(),
                        latest=latest.isoformat(),
                    ),
                )
            )
    _detail_name(details, "party", party.name, party.id)
    _hearing(case, details, at)


def hold_hearing(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    scheduled = case.hearing_at  # type: ignore[attr-defined]
    if scheduled is not None and clock.local_day(at) < clock.local_day(scheduled):
        raise DomainError(
            (
                "at",
                _l(
                    "The hearing is scheduled for %(day)s: it cannot be recorded as held before then.",
                    day=clock.to_local(scheduled).strftime("%Y-%m-%d %H:%M"),
                ),
            )
        )


def panel_vote(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """[85]25: the panel decides by majority; the minutes record the dissent."""
    size = sum(1 for a in case.assignments if a.role in PANEL_ROLES)
    problem = vote_problem(int(details["votes_for"]), int(details["votes_against"]), size)
    if problem:
        raise DomainError(("votes_for", problem))
    if int(details["votes_against"]) and not details.get("dissent"):
        raise DomainError(("dissent", _l("Record the dissenting opinion ([85]25).")))


def issue_decision(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """The decision's outcome and cessation orders ([85]31–32); infringement found counts
    against each respondent's credit ([85]34)."""
    from ipcase.credit.models import CreditEventKind
    from ipcase.credit.operations import record_event

    outcome = DecisionOutcome(details["outcome"])
    orders = list(details.get("orders") or [])
    if outcome in INFRINGING and not orders:
        raise DomainError(("orders", _l("Order the measures that stop the infringement ([85]31–32).")))
    if outcome not in INFRINGING and orders:
        raise DomainError(("orders", _l("A decision that finds no infringement orders no measures.")))
    case.outcome = outcome  # type: ignore[attr-defined]
    if outcome in INFRINGING:
        for party in case.respondents:
            record_event(case, party, CreditEventKind.infringement_found, actor=actor, at=at)


def revoke_decision(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """[85]33: the patent was invalidated by a final decision. A revoked decision no longer counts
    against the respondents' credit; a changed one keeps its finding."""
    from ipcase.core import clock
    from ipcase.credit.models import CreditEventKind
    from ipcase.credit.operations import history_of_case

    final_on = details.get("final_on")
    if final_on is None or final_on > clock.local_day(at):
        raise DomainError(("final_on", _l("The invalidation must already be final.")))
    if case.closed_at is not None and final_on < clock.local_day(case.closed_at):
        raise DomainError(
            ("final_on", _l("The invalidation became final before the decision: it was not a ground to change it."))
        )
    if details.get("effect") != "revoked" or actor is None:
        return
    findings = {CreditEventKind.infringement_found, CreditEventKind.repeat_infringement}
    for event in history_of_case(case):
        if event.kind in findings and not event.is_removed:
            event.removed_at = at
            event.removed_by_id = actor.id
            event.removal_reason = str(_l("Decision revoked: the patent was invalidated ([85]33)."))


def apply_for_enforcement(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """The decision was not performed after the demand: recorded against each respondent ([85]34, [85]80)."""
    from ipcase.credit.models import CreditEventKind
    from ipcase.credit.operations import record_event

    for party in case.respondents:
        record_event(case, party, CreditEventKind.decision_unperformed, actor=actor, at=at)


def start_settlement(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    _start_exclusion(case, ExclusionKind.settlement, actor, at, ExclusionKind.settlement.label)


def end_settlement(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    _end_exclusion(case, ExclusionKind.settlement, actor, at)


T = Transition
TRANSITIONS: tuple[Transition, ...] = (
    # -- intake and docketing (A1–A2) -------------------------------------------------------------
    T(
        "request_correction",
        _l("Ask for correction (补正)"),
        frozenset({S.received}),
        S.deficient,
        OFFICE,
        needs_reason=True,
        documents=("deficiency_notice",),
        effects=(stop_docketing_clock,),
        form=f.DeficiencyStepForm,
        apply=notify_deficiency,
        kind=EntryKind.negative,
    ),
    T("cure", _l("Correction received"), frozenset({S.deficient}), S.received, OFFICE, event="request_received"),
    # -- advisory opinion after a warning ([85]13, A0) ---------------------------------------------
    T(
        "record_warning_demand_received",
        _l("Warned person's written demand (催告) received by the right holder"),
        ADVISORY_STAGES,
        None,
        OFFICE,
        event="warning_demand_received",
        needs_reason=True,
    ),
    T(
        "record_warning_demand_sent",
        _l("Warned person's written demand (催告) sent to the right holder"),
        ADVISORY_STAGES,
        None,
        OFFICE,
        event="warning_demand_sent",
        needs_reason=True,
    ),
    T(
        "record_warning_answered",
        _l("Right holder withdrew the warning or filed a request"),
        ADVISORY_STAGES,
        None,
        OFFICE,
        event="warning_answered",
        guards=(warning_unanswered,),
    ),
    T(
        "request_advisory_opinion",
        _l("Advisory opinion requested (咨询意见)"),
        ADVISORY_STAGES,
        None,
        OFFICE,
        guards=(advisory_window_over, no_advisory_request),
        needs_reason=True,
    ),
    T(
        "give_advisory_opinion",
        _l("Advisory opinion given"),
        ADVISORY_STAGES,
        None,
        OFFICE,
        guards=(advisory_opinion_pending,),
        needs_reason=True,
    ),
    T(
        "mark_major",
        _l("Major case of national impact (重大专利侵权纠纷)"),
        frozenset({S.received, S.deficient}) | HEARING_STAGES,
        None,
        DIRECTOR,
        guards=(not_major,),
        needs_reason=True,
        effects=(mark_major,),
    ),
    T(
        "change_request_major",
        _l("Request changed or party added: major case's time limit restarts"),
        HEARING_STAGES,
        None,
        OFFICE,
        guards=(major_case,),
        needs_reason=True,
        effects=(restart_major_time_limit,),
    ),
    T(
        "refuse_docketing",
        _l("Refuse to docket (不予立案)"),
        frozenset({S.received, S.deficient}),
        S.rejected,
        DIRECTOR,
        needs_reason=True,
        closes=True,
        documents=("refusal_notice",),
        effects=(docketing_decided,),
        form=f.RefusalStepForm,
        apply=refuse_docketing,
        kind=EntryKind.negative,
    ),
    T(
        "docket",
        _l("Docket the case (立案)"),
        frozenset({S.received}),
        S.docketed,
        OFFICE,
        event="docketed",
        guards=(parties_and_patent, valid_panel),
        documents=("docketing_notice",),
        effects=(mark_docketed,),
        kind=EntryKind.positive,
    ),
    # -- service and defence (A3–A4b) ------------------------------------------------------------
    T(
        "serve",
        _l("Serve the request on the respondent"),
        frozenset({S.docketed}),
        S.defence_period,
        OFFICE,
        event="request_served",
        documents=("defence_notice", "service_receipt"),
    ),
    T(
        "receive_defence",
        _l("Defence received"),
        frozenset({S.served, S.defence_period}),
        S.evidence,
        OFFICE,
        event="defence_received",
    ),
    T(
        "defence_lapsed",
        _l("Defence period ended without a defence"),
        frozenset({S.served, S.defence_period}),
        S.evidence,
        OFFICE,
        guards=(defence_period_over,),
    ),
    T(
        "return_unsigned_defence",
        _l("Unsigned defence returned: resubmit signed within 3 days"),
        frozenset({S.served, S.defence_period}),
        None,
        OFFICE,
        event="unsigned_defence_returned",
        needs_reason=True,
        kind=EntryKind.negative,
    ),
    T(
        "forward_defence",
        _l("Defence forwarded to the requester"),
        FACT_FINDING | {S.deliberation},
        None,
        OFFICE,
        event="defence_forwarded",
        guards=(defence_to_forward,),
        documents=("service_receipt",),
    ),
    T(
        "receive_jurisdiction_objection",
        _l("Jurisdiction objection received (管辖异议)"),
        frozenset({S.served, S.defence_period, S.evidence}),
        None,
        OFFICE,
        event="jurisdiction_objection_received",
        guards=(request_served, no_objection_pending),
        form=f.ObjectionForm,
        apply=receive_objection,
        kind=EntryKind.negative,
    ),
    T(
        "dismiss_jurisdiction_objection",
        _l("Jurisdiction objection dismissed"),
        HEARING_STAGES,
        None,
        DIRECTOR,
        event="objection_decided",
        guards=(objection_pending,),
        needs_reason=True,
        documents=("jurisdiction_objection_decision",),
        apply=dismiss_objection,
    ),
    T(
        "transfer_on_objection",
        _l("Objection upheld: transfer the case to the competent office (移送)"),
        HEARING_STAGES,
        S.transferred,
        DIRECTOR,
        event="objection_decided",
        guards=(objection_pending,),
        needs_reason=True,
        closes=True,
        documents=("jurisdiction_objection_decision", "case_transfer_letter"),
        effects=(end_excluded_time,),
        form=f.TransferForm,
        apply=transfer_to_competent_office,
    ),
    # -- officials and recusal (A5) --------------------------------------------------------------
    T(
        "notify_officials",
        _l("Parties told who the officials are (告知合议组成员)"),
        BEFORE_HEARING_ENDS,
        None,
        OFFICE,
        event="officials_notified",
        guards=(valid_panel,),
        documents=("panel_notice",),
        form=f.OfficialsNoticeForm,
    ),
    T(
        "apply_recusal",
        _l("Recusal application received (回避申请)"),
        BEFORE_HEARING_ENDS,
        None,
        OFFICE,
        event="recusal_applied",
        guards=(someone_assigned, no_recusal_pending),
        form=f.RecusalApplicationForm,
        apply=apply_for_recusal,
        kind=EntryKind.negative,
    ),
    T(
        "decide_recusal",
        _l("Recusal application decided"),
        HEARING_STAGES | {S.suspended},
        None,
        DIRECTOR,
        guards=(recusal_pending,),
        needs_reason=True,
        documents=("recusal_decision",),
        form=f.RecusalDecisionForm,
        apply=decide_recusal,
    ),
    # -- evidence, appraisal, investigation (A6–A6c) ----------------------------------------------
    T(
        "serve_evidence_notice",
        _l("Evidence notice served (举证通知书)"),
        EVIDENCE_STAGES,
        None,
        OFFICE,
        guards=(no_evidence_period,),
        documents=("evidence_notice", "service_receipt"),
        form=f.EvidenceNoticeForm,
        apply=serve_evidence_notice,
    ),
    T(
        "extend_evidence_period",
        _l("Evidence period extended at a party's request"),
        EVIDENCE_STAGES,
        None,
        OFFICE,
        guards=(evidence_period_running,),
        documents=("evidence_extension_notice",),
        form=f.EvidenceExtensionForm,
        apply=extend_evidence_period,
    ),
    T(
        "close_evidence",
        _l("Evidence period closed"),
        EVIDENCE_STAGES,
        None,
        OFFICE,
        event="evidence_closed",
        guards=(evidence_period_running,),
    ),
    T(
        "request_appraisal",
        _l("Appraisal requested (鉴定申请)"),
        EVIDENCE_STAGES,
        None,
        OFFICE,
        guards=(evidence_period_not_over, no_appraisal_under_way),
        form=f.AppraisalRequestForm,
        apply=request_appraisal,
    ),
    T(
        "decide_appraisal",
        _l("Panel decides whether an appraisal is needed"),
        FACT_FINDING,
        None,
        OFFICE,
        guards=(appraisal_requested,),
        documents=("appraisal_decision_notice",),
        form=f.AppraisalDecisionForm,
        apply=decide_appraisal,
    ),
    T(
        "commission_appraisal",
        _l("Appraisal commissioned (技术鉴定委托书)"),
        FACT_FINDING | {S.deliberation},
        None,
        OFFICE,
        guards=(appraisal_needed,),
        documents=("appraisal_commission",),
        form=f.AppraisalCommissionForm,
        apply=commission_appraisal,
    ),
    T(
        "abandon_appraisal",
        _l("No appraisal: the parties did not agree on the cost"),
        FACT_FINDING | {S.deliberation},
        None,
        OFFICE,
        guards=(appraisal_needed,),
        needs_reason=True,
        apply=abandon_appraisal,
        kind=EntryKind.negative,
    ),
    T(
        "receive_appraisal_opinion",
        _l("Appraisal opinion received"),
        FACT_FINDING | {S.deliberation},
        None,
        OFFICE,
        guards=(appraisal_commissioned,),
        form=f.AppraisalOpinionForm,
        apply=receive_appraisal_opinion,
    ),
    T(
        "request_preservation",
        _l("Evidence preservation requested (登记保存)"),
        FACT_FINDING,
        None,
        OFFICE,
        event="preservation_requested",
        guards=(no_preservation_pending,),
        documents=("preservation_approval_form",),
        form=f.PreservationRequestForm,
        apply=request_preservation,
    ),
    T(
        "decide_preservation",
        _l("Evidence preservation decided (证据登记保存决定)"),
        FACT_FINDING,
        None,
        DIRECTOR,
        event="preservation_decided",
        guards=(preservation_pending,),
        documents=("preservation_decision", "preservation_list"),
        form=f.PreservationDecisionForm,
        apply=decide_preservation,
    ),
    T(
        "record_sampling",
        _l("Samples taken (抽样取证)"),
        FACT_FINDING,
        None,
        OFFICE,
        documents=("sampling_decision", "sampling_list"),
        form=f.SamplingForm,
    ),
    T(
        "request_assistance",
        _l("Another office asked for help with evidence"),
        FACT_FINDING,
        None,
        OFFICE,
        documents=("assistance_request",),
        form=f.AssistanceForm,
        apply=request_assistance,
    ),
    T(
        "release_preservation",
        _l("Preserved evidence released (解除登记保存)"),
        HEARING_STAGES | {S.suspended, S.closed_mediated, S.closed_cancelled} | DECIDED,
        None,
        OFFICE,
        guards=(evidence_preserved,),
        event="preservation_released",
        documents=("preservation_release_decision", "preservation_release_list"),
        form=f.ReleaseForm,
        apply=release_preservation,
    ),
    T(
        "record_collection",
        _l("Released items collected by their owner"),
        HEARING_STAGES | {S.suspended, S.closed_mediated, S.closed_cancelled} | DECIDED,
        None,
        OFFICE,
        event="preserved_items_collected",
        guards=(items_to_collect,),
    ),
    T(
        "receive_tech_opinion",
        _l("Technical investigator's opinion received"),
        FACT_FINDING | {S.deliberation},
        None,
        OFFICE,
        guards=(tech_investigator_assigned,),
        form=f.TechOpinionForm,
        apply=receive_tech_opinion,
        is_public=False,
    ),
    T(
        "notify_tech_investigator",
        _l("Parties told of the technical investigator"),
        FACT_FINDING | {S.deliberation},
        None,
        OFFICE,
        event="tech_investigator_notified",
        guards=(tech_investigator_assigned,),
    ),
    # -- parties (A7) ----------------------------------------------------------------------------
    T(
        "record_joinder",
        _l("Party added by joinder (追加当事人)"),
        BEFORE_HEARING_ENDS,
        None,
        OFFICE,
        guards=(party_to_join,),
        documents=("joinder_notice",),
        effects=(restart_major_time_limit,),
        form=f.JoinderForm,
        apply=record_joinder,
    ),
    # -- oral hearing (A8) -----------------------------------------------------------------------
    T(
        "schedule_hearing",
        _l("Schedule the oral hearing"),
        frozenset({S.evidence, S.heard}),
        S.hearing_scheduled,
        OFFICE,
        event="hearing_notice_received",
        documents=("hearing_notice", "hearing_reply_slip"),
        form=f.HearingForm,
        apply=schedule_hearing,
    ),
    T(
        "receive_hearing_reply",
        _l("Hearing reply slip received (口审回执)"),
        frozenset({S.hearing_scheduled}),
        None,
        OFFICE,
        event="hearing_reply_received",
        guards=(hearing_reply_awaited,),
    ),
    T(
        "reschedule_hearing",
        _l("Hearing rescheduled at a party's request"),
        frozenset({S.hearing_scheduled}),
        None,
        OFFICE,
        documents=("hearing_notice", "hearing_reply_slip"),
        form=f.RescheduleForm,
        apply=reschedule_hearing,
    ),
    T(
        "hold_hearing",
        _l("Oral hearing held"),
        frozenset({S.hearing_scheduled}),
        S.heard,
        OFFICE,
        guards=(no_recusal_pending,),
        documents=("hearing_record",),
        form=f.HoldHearingForm,
        apply=hold_hearing,
    ),
    T(
        "requester_absent",
        _l("Requester absent: treated as withdrawn"),
        frozenset({S.hearing_scheduled}),
        S.closed_cancelled,
        DIRECTOR,
        needs_reason=True,
        closes=True,
        documents=("cancellation_decision",),
        effects=(end_excluded_time,),
        kind=EntryKind.negative,
    ),
    # -- deliberation and decision (A11–A14) -----------------------------------------------------
    T(
        "deliberate",
        _l("Panel deliberation"),
        frozenset({S.evidence, S.heard}),
        S.deliberation,
        OFFICE,
        guards=(no_objection_pending, no_recusal_pending),
        decides=True,
    ),
    T(
        "submit_for_closing",
        _l("Submit the draft decision for closing approval"),
        frozenset({S.deliberation}),
        S.closing_approval,
        OFFICE,
        guards=(no_objection_pending, no_recusal_pending),
        documents=("deliberation_record", "closing_approval_form"),
        form=f.VoteForm,
        apply=panel_vote,
        decides=True,
    ),
    T(
        "return_to_panel",
        _l("Return to the panel"),
        frozenset({S.closing_approval}),
        S.deliberation,
        DIRECTOR,
        needs_reason=True,
        kind=EntryKind.negative,
    ),
    T(
        "approve_decision",
        _l("Approve and issue the decision (行政裁决书)"),
        frozenset({S.closing_approval}),
        S.closed_decided,
        DIRECTOR,
        event="decided",
        guards=(no_objection_pending, no_recusal_pending),
        closes=True,
        documents=("adjudication_decision",),
        effects=(end_excluded_time,),
        form=f.DecisionForm,
        apply=issue_decision,
        kind=EntryKind.positive,
        decides=True,
    ),
    T(
        "waive_period",
        _l("Party waives the rest of a period"),
        frozenset({S.deficient}) | HEARING_STAGES | AFTER_DECISION,
        None,
        OFFICE,
        guards=(a_party_period_runs,),
        form=f.WaiverForm,
        apply=waive_period,
    ),
    # -- settlement and other ways to close (A10, A13) -------------------------------------------
    T(
        "start_settlement",
        _l("Settlement talks begin (和解)"),
        SUSPENDABLE,
        None,
        OFFICE,
        guards=(no_settlement_running,),
        form=f.SettlementStartForm,
        apply=start_settlement,
    ),
    T(
        "end_settlement",
        _l("Settlement talks end"),
        HEARING_STAGES | {S.suspended},
        None,
        OFFICE,
        guards=(settlement_running,),
        form=f.SettlementEndForm,
        apply=end_settlement,
    ),
    T(
        "close_by_mediation",
        _l("Close by mediation agreement"),
        HEARING_STAGES - {S.closing_approval},
        S.closed_mediated,
        OFFICE,
        closes=True,
        documents=("mediation_agreement",),
        effects=(end_excluded_time,),
        kind=EntryKind.positive,
    ),
    T(
        "cancel_case",
        _l("Cancel the case (撤销案件)"),
        HEARING_STAGES | {S.suspended},
        S.closed_cancelled,
        DIRECTOR,
        needs_reason=True,
        closes=True,
        documents=("cancellation_decision",),
        effects=(end_excluded_time,),
        kind=EntryKind.negative,
    ),
    # -- suspension (A9) -------------------------------------------------------------------------
    T(
        "suspend",
        _l("Suspend (中止)"),
        SUSPENDABLE,
        S.suspended,
        OFFICE,
        needs_reason=True,
        documents=("suspension_notice",),
        effects=(enter_suspension,),
        form=f.SuspensionStepForm,
        apply=suspend_on_ground,
        kind=EntryKind.negative,
    ),
    T(
        "refuse_suspension",
        _l("Request to suspend refused (不予中止)"),
        SUSPENDABLE,
        None,
        OFFICE,
        needs_reason=True,
        documents=("suspension_refusal_notice",),
        form=f.SuspensionRefusalForm,
        apply=refuse_suspension,
        kind=EntryKind.negative,
    ),
    T(
        "resume",
        _l("Resume (恢复)"),
        frozenset({S.suspended}),
        None,
        OFFICE,
        documents=("resumption_notice",),
        effects=(leave_suspension,),
    ),
    # -- after the decision (A15–A18) ------------------------------------------------------------
    T(
        "serve_decision",
        _l("Decision served (送达裁决书)"),
        AFTER_DECISION,
        None,
        OFFICE,
        guards=(decision_not_served,),
        documents=("service_receipt",),
        form=f.ServiceForm,
        apply=serve_decision,
    ),
    T("publish", _l("Decision published"), frozenset({S.closed_decided}), S.published, OFFICE, event="published"),
    T(
        "record_lawsuit",
        _l("Administrative lawsuit filed"),
        frozenset({S.closed_decided, S.published}),
        S.litigated,
        OFFICE,
        event="lawsuit_filed",
    ),
    T(
        "record_court_change",
        _l("Judgment changed the decision"),
        frozenset({S.litigated}),
        None,
        OFFICE,
        event="decision_changed_by_court",
        needs_reason=True,
        kind=EntryKind.negative,
    ),
    T(
        "publish_change",
        _l("Change of the decision published"),
        frozenset({S.litigated}),
        None,
        OFFICE,
        event="change_published",
        guards=(court_change_unpublished,),
    ),
    T(
        "serve_performance_demand",
        _l("Demand for performance served (履行催告)"),
        AFTER_DECISION,
        None,
        OFFICE,
        event="demand_served",
        guards=(infringement_established, demand_may_be_served, lawsuit_windows_passed),
        documents=("performance_demand", "service_receipt"),
    ),
    T(
        "record_performance",
        _l("Decision performed"),
        DECIDED,
        None,
        OFFICE,
        event="performed",
        guards=(infringement_established, not_performed),
        form=f.PerformanceForm,
        kind=EntryKind.positive,
    ),
    T(
        "record_nonperformance",
        _l("Not performed within the period of the demand"),
        AFTER_DECISION,
        None,
        OFFICE,
        event="performance_period_expired",
        guards=(infringement_established, demand_period_run_out, nonperformance_unrecorded),
        kind=EntryKind.negative,
    ),
    T(
        "request_enforcement",
        _l("Court enforcement requested"),
        AFTER_DECISION,
        S.enforcement_requested,
        DIRECTOR,
        event="enforcement_applied",
        guards=(infringement_established, demand_period_run_out),
        documents=("enforcement_application",),
        apply=apply_for_enforcement,
    ),
    T(
        "record_rightholder_enforcement",
        _l("Right holder applied for court enforcement"),
        AFTER_DECISION,
        None,
        OFFICE,
        event="rightholder_enforcement_applied",
        guards=(infringement_established, rightholder_may_apply),
    ),
    T(
        "record_correction",
        _l("Correction notice issued (修改更正通知书)"),
        DECIDED,
        None,
        OFFICE,
        documents=("correction_notice",),
        form=f.CorrectionForm,
    ),
    T(
        "revoke_after_invalidation",
        _l("Change or revoke the decision: patent invalidated (变更或者撤销)"),
        DECIDED,
        S.decision_revoked,
        DIRECTOR,
        needs_reason=True,
        documents=("decision_revocation",),
        form=f.RevocationForm,
        apply=revoke_decision,
        kind=EntryKind.negative,
    ),
)

WORKFLOW = Workflow(states=S, transitions=TRANSITIONS, closed=frozenset(CLOSED))
