"""Loading and authorising what a deadline page acts on, and running its operation (commit, or
the refusal shown on the form)."""

from collections.abc import Callable
from typing import Any

from flask import abort, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ipcase.cases.models import Case
from ipcase.cases.permissions import can_edit, can_view
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.core.forms import apply_domain_errors
from ipcase.deadlines.calendar_store import forget_calendar
from ipcase.deadlines.forms import EXTENSION_LEVELS
from ipcase.deadlines.models import Deadline, ExtensionState
from ipcase.deadlines.rules import Rule, UnknownRule, get_rule
from ipcase.deadlines.views.blueprint import amount


def case_or_404(case_id: int) -> Case:
    case = db.session.get(Case, case_id)
    if case is None or not can_view(current_user, case):
        # Another organisation's or party's case: indistinguishable from a missing one.
        abort(404)
    return case


def editable_case(case: Case) -> Case:
    if not can_edit(current_user, case):
        abort(403)
    return case


def deadline_or_404(deadline_id: int) -> Deadline:
    deadline = db.session.get(Deadline, deadline_id)
    if deadline is None:
        abort(404)
    case_or_404(deadline.case_id)
    return deadline


def rule_of(deadline: Deadline) -> Rule | None:
    try:
        return get_rule(deadline.rule_id, deadline.rule_version)
    except UnknownRule:
        return None


def extension_levels(rule: Rule | None, deadline: Deadline | None = None) -> list[tuple[str, str]]:
    """The approvers who may still extend the period, each with what is left of their cap
    (a superior office only after the director's extension, [85]37)."""
    if rule is None:
        return []
    unit = rule.extension_unit or rule.unit
    granted = {"director": 0, "superior": 0}
    for ext in deadline.extensions if deadline is not None else ():
        if ext.state == ExtensionState.approved and ext.level in granted:
            granted[ext.level] += ext.length
    left = {"director": rule.director_extension - granted["director"]}
    if rule.superior_extension and (deadline is None or granted["director"]):
        left["superior"] = rule.superior_extension - granted["superior"]
    # the first level is the director's unless the rule names another approver (the defence
    # period: the panel leader, A4)
    labels = dict(EXTENSION_LEVELS)
    if rule.extension_approver == "panel_leader":
        labels["director"] = _("Panel leader")
    return [
        (level, _("%(level)s (at most %(amount)s)", level=labels[level], amount=amount(n, unit)))
        for level, n in left.items()
        if n > 0
    ]


def run_operation(form: Any, action: Callable[[], Any]) -> tuple[bool, Any]:
    """Run an operation: commit and return (True, its result), or show its refusal on the form,
    roll back and return (False, None)."""
    try:
        result = action()
    except DomainError as exc:
        db.session.rollback()
        forget_calendar()  # it may hold what the rolled-back change computed
        apply_domain_errors(form, exc)
        return False, None
    db.session.commit()
    return True, result


def form_status(*forms: Any) -> int:
    return 422 if any(f is not None and (f.errors or f.form_errors) for f in forms) else 200


def back_to_case(case: Case) -> Any:
    return redirect(url_for("cases.show_case", case_id=case.id) + "#deadlines")
