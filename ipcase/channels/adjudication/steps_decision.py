"""The ``apply`` of the adjudication decision and the steps after it: the decision and its
credit record ([85]31–34), its service (P10, [PL]65), its change or revocation after an
invalidation ([85]33), and enforcement ([85]80). Each checks and stores the step's details
and may refuse with a DomainError."""

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from ipcase.auth.models import User
from ipcase.cases.models import Case
from ipcase.channels.adjudication.states import INFRINGING, DecisionOutcome
from ipcase.channels.workflow import records
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.credit.models import CreditEventKind
from ipcase.credit.operations import history_of_case, record_event
from ipcase.deadlines.operations import meet_deadlines
from ipcase.deadlines.service_dates import SERVICE_DATE_RULES, is_forbidden, service_day, service_instant
from ipcase.deadlines.triggers import fire


def issue_decision(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """The decision's outcome and cessation orders ([85]31–32); infringement found counts
    against each respondent's credit ([85]34)."""
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


@records("decision_served")
def serve_decision(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """The decision served on the parties: the day service takes effect is the one its method
    gives (P10: direct — the signature; post — the receipt; public notice — 60 days after
    publication, "when" being the publication; not electronically), and each party's window
    to sue runs from it ([PL]65)."""
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


def revoke_decision(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """[85]33: the patent was invalidated by a final decision. A revoked decision no longer counts
    against the respondents' credit; a changed one keeps its finding."""
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
    for party in case.respondents:
        record_event(case, party, CreditEventKind.decision_unperformed, actor=actor, at=at)
