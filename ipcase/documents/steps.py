"""What a document takes from the step that calls for it.

A decision or an agreement is the written form of a step already recorded: the grant of an
injunction (its measures, its duration and the day it expires), the agreement signed (the
compensation, the payment date, the terms), the court, notary office or commission asked to
give the agreement force, the ground on which a mediation ended. The document is prefilled from
that step and may not say otherwise: those fields are shown read-only, and a document whose
values contradict the step is refused, with the recorded value named. To change them, the step
is what is wrong (a step is corrected, not its document). Free text the step only summarises
(the reasons) is prefilled and stays editable: the document states them in full.

A document prepared before its step is taken (an open step calls for it) has nothing recorded
yet and is not constrained."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ipcase.cases.models import Case, TimelineEntry
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.documents.wording import same_terms


@dataclass
class Recorded:
    """The values a step recorded for a document: ``locked`` fields must agree, ``prefill``
    fields start from the step and may be edited."""

    step: str = ""
    step_label: Any = ""
    locked: dict[str, Any] = field(default_factory=dict)
    prefill: dict[str, Any] = field(default_factory=dict)


def latest_step(case: Case, kind_key: str) -> tuple[str, dict[str, Any]] | None:
    """The latest taken step that called for ``kind_key``: its action and its timeline data."""
    workflow = case.channel_def.workflow
    if workflow is None:
        return None
    actions = {t.action for t in workflow.transitions if kind_key in t.documents}
    if not actions:
        return None
    entries = db.session.scalars(
        sa.select(TimelineEntry)
        .where(TimelineEntry.case_id == case.id, TimelineEntry.event == "case.transition")
        .order_by(TimelineEntry.id.desc())
    )
    for entry in entries:
        action = (entry.data or {}).get("action") or {}
        if isinstance(action, dict) and action.get("step") in actions:
            return action["step"], dict(entry.data or {})
    return None


def _day(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return clock.to_local(value).date().isoformat() if value.tzinfo else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)[:10]


def _moment(value: Any) -> str | None:
    """A local date-time as the forms write it (``YYYY-MM-DDTHH:MM``)."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        local = clock.to_local(value) if value.tzinfo else value
        return local.strftime("%Y-%m-%dT%H:%M")
    return str(value)[:16]


def _money(value: Any) -> str | None:
    if value is None or value == "":
        return None
    try:
        return f"{Decimal(str(value)):.2f}"
    except InvalidOperation:
        return str(value)


# -- what each kind takes from its step ---------------------------------------------------------


def _injunction_decision(case: Case, step: str, data: dict[str, Any]) -> Recorded:
    reasons = str(data.get("reason") or "")
    if step == "grant":
        locked: dict[str, Any] = {
            "outcome": "granted",
            "measures": getattr(case, "ordered_measures", "") or (data.get("details") or {}).get("measures", ""),
        }
        if getattr(case, "expires_on", None) is not None:
            locked["valid_until"] = case.expires_on.isoformat()  # type: ignore[attr-defined]
        return Recorded(step, locked=locked, prefill={"reasons": reasons} if reasons else {})
    return Recorded(step, locked={"outcome": "refused"}, prefill={"reasons": reasons} if reasons else {})


def _agreement(case: Case, step: str, data: dict[str, Any]) -> Recorded:
    if getattr(case, "agreed_at", None) is None:
        return Recorded(step)
    locked: dict[str, Any] = {
        "agreed_on": _day(case.agreed_at),  # type: ignore[attr-defined]
        "amount": _money(case.agreed_amount),  # type: ignore[attr-defined]
        "due_on": _day(case.payment_due_on),  # type: ignore[attr-defined]
        "instalments": case.instalments,  # type: ignore[attr-defined]
    }
    if (case.agreement_terms or "").strip():  # type: ignore[attr-defined]
        locked["terms"] = case.agreement_terms  # type: ignore[attr-defined]
    return Recorded(step, locked=locked)


def _follow_up(case: Case, step: str, data: dict[str, Any]) -> Recorded:
    locked: dict[str, Any] = {}
    body = getattr(case, "follow_up_body", "") or ""
    if body:
        locked["body"] = body
    if getattr(case, "agreed_at", None) is not None:
        locked["agreed_on"] = _day(case.agreed_at)  # type: ignore[attr-defined]
    return Recorded(step, locked=locked)


#: the ground a mediation document prints, by the step that ended the mediation
CANCELLATION_BY_STEP = {
    "requester_absent": "requester_absent",
    "respondent_absent": "respondent_absent",
    "mediation_failed": "no_agreement",
    "withdraw": "withdrawn",
}
REFUSAL_BY_STEP = {"refuse_docketing": "declined", "statement_lapsed": "silent"}


def _ground(table: dict[str, str]) -> Any:
    def build(case: Case, step: str, data: dict[str, Any]) -> Recorded:
        reason = str(data.get("reason") or "")
        locked = {"ground": table[step]} if step in table else {}
        return Recorded(step, locked=locked, prefill={"note": reason} if reason else {})

    return build


def _session(case: Case, step: str, data: dict[str, Any]) -> Recorded:
    details = data.get("details") or {}
    locked: dict[str, Any] = {}
    if details.get("held_at"):
        locked["session_at"] = _moment(details["held_at"])
    if details.get("place"):
        locked["place"] = details["place"]
    return Recorded(step, locked=locked)


def _lifting(case: Case, step: str, data: dict[str, Any]) -> Recorded:
    reason = str(data.get("reason") or "")
    closed_at = getattr(case, "closed_at", None)
    locked = {"lifted_on": _day(closed_at)} if step == "lift" and closed_at is not None else {}
    return Recorded(step, locked=locked, prefill={"reasons": reason} if reason else {})


def _review(case: Case, step: str, data: dict[str, Any]) -> Recorded:
    reason = str(data.get("reason") or "")
    outcome = {"uphold_on_review": "upheld", "revoke_on_review": "revoked"}.get(step)
    return Recorded(step, locked={"outcome": outcome} if outcome else {}, prefill={"reasons": reason} if reason else {})


BUILDERS = {
    "lifting_decision": _lifting,
    "review_decision": _review,
    "injunction_decision": _injunction_decision,
    "mediation_agreement": _agreement,
    "judicial_confirmation_application": _follow_up,
    "notarisation_application": _follow_up,
    "arbitration_agreement": _follow_up,
    "mediation_cancellation_notice": _ground(CANCELLATION_BY_STEP),
    "mediation_refusal_notice": _ground(REFUSAL_BY_STEP),
    "mediation_record": _session,
}


def recorded(case: Case, kind_key: str) -> Recorded:
    """What the latest taken step calling for ``kind_key`` recorded (empty when none was taken)."""
    builder = BUILDERS.get(kind_key)
    found = latest_step(case, kind_key)
    if builder is None or found is None:
        return Recorded()
    step, data = found
    result = builder(case, step, data)
    result.locked = {k: v for k, v in result.locked.items() if v not in (None, "")}
    workflow = case.channel_def.workflow
    t = workflow.by_action.get(step) if workflow is not None else None
    result.step_label = t.label if t is not None else step
    return result


# -- comparing a document's fields with the step --------------------------------------------------


def _same(name: str, wanted: Any, given: Any) -> bool:
    if name == "terms" or name == "measures":
        return same_terms(str(wanted or ""), str(given or ""))
    if name in ("amount",):
        return _money(wanted) == _money(given)
    if name in ("agreed_on", "due_on", "valid_until", "lifted_on"):
        return _day(wanted) == _day(given)
    if name == "session_at":
        return _moment(wanted) == _moment(given)
    if name == "instalments":
        try:
            return int(wanted) == int(given)
        except (TypeError, ValueError):
            return False
    return "".join(str(wanted or "").split()) == "".join(str(given or "").split())


def printable(value: Any) -> str:
    return str(value).replace("\n", "；")


def contradictions(case: Case, kind_key: str, fields: dict[str, Any]) -> list[tuple[str, Any]]:
    """(field, message) for each field of ``fields`` that says otherwise than the step recorded."""
    rec = recorded(case, kind_key)
    problems: list[tuple[str, Any]] = []
    for name, wanted in rec.locked.items():
        if name not in fields:
            continue
        if not _same(name, wanted, fields.get(name)):
            problems.append(
                (
                    name,
                    _l(
                        "The step “%(step)s” recorded %(value)s: the document says what the step recorded. "
                        "If the step is wrong, correct the step, not the document.",
                        step=rec.step_label,
                        value=printable(wanted),
                    ),
                )
            )
    return problems


#: documents that are the written form of their step: issued once the step is taken
#: (kind → the channels where that holds; in an adjudication the agreement closes the case
#: and its step records nothing the document could contradict)
WRITES_DOWN_THE_STEP: dict[str, frozenset[str]] = {
    "injunction_decision": frozenset({"injunction"}),
    "mediation_agreement": frozenset({"mediation"}),
    "judicial_confirmation_application": frozenset({"mediation"}),
    "notarisation_application": frozenset({"mediation"}),
    "arbitration_agreement": frozenset({"mediation"}),
}


def step_missing(case: Case, kind_key: str) -> Any:
    """Why the document cannot be issued yet (its step is not taken), or None."""
    if str(case.channel) not in WRITES_DOWN_THE_STEP.get(kind_key, frozenset()):
        return None
    if latest_step(case, kind_key) is not None:
        return None
    workflow = case.channel_def.workflow
    labels = [str(t.label) for t in workflow.transitions if kind_key in t.documents] if workflow else []
    return _l(
        "This document writes down a step: take “%(step)s” first, then issue it from the step's values.",
        step=" / ".join(labels),
    )


def check_fields(case: Case, kind_key: str, fields: dict[str, Any]) -> None:
    """Refuse a document issued before the step it writes down, or one that contradicts it
    (nothing is issued)."""
    missing = step_missing(case, kind_key)
    if missing:
        raise DomainError(missing)
    problems = contradictions(case, kind_key, fields)
    if problems:
        raise DomainError(*problems)


def with_recorded(case: Case, kind_key: str, fields: dict[str, Any]) -> dict[str, Any]:
    """``fields`` with the locked values the form did not send (a read-only field left out)."""
    rec = recorded(case, kind_key)
    out = dict(fields)
    for name, wanted in rec.locked.items():
        if out.get(name) in (None, ""):
            out[name] = wanted
    return out
