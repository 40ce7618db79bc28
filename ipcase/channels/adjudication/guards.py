"""The conditions of the adjudication transitions (domain.md §2.1): each guard returns why the step
is not possible now, or None."""

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ipcase.cases.enums import AssignmentRole, PartyRole, RightType
from ipcase.cases.models import Case
from ipcase.cases.operations import panel_problems
from ipcase.channels.adjudication.helpers import (
    DEFENCE,
    OBJECTION,
    PRESERVATION,
    _latest,
    _open_exclusion,
    _pending,
    _steps_taken,
    parties_joined,
)
from ipcase.channels.adjudication.states import INFRINGING, AppraisalStage
from ipcase.channels.workflow import open_party_periods, period_over, period_running
from ipcase.core.extensions import db
from ipcase.deadlines.models import OPEN_STATES, Deadline, DeadlineState, ExclusionKind


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


def not_major(case: Case) -> Any:
    if getattr(case, "is_major", False):
        return _l("The case is already marked as a major case.")
    return None


def major_case(case: Case) -> Any:
    if not getattr(case, "is_major", False):
        return _l("Only a major case's time limit restarts on a change of request ([68]22).")
    return None


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
