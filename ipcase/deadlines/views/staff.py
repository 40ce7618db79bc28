"""The staff's own pages: my deadlines, the calculator and notifications."""

from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from ipcase.auth.models import STAFF_ROLES, Role, User
from ipcase.cases.models import Assignment, Case
from ipcase.cases.permissions import case_visibility_clause, visible_org_ids
from ipcase.core import clock
from ipcase.core.extensions import db
from ipcase.core.forms import opts
from ipcase.deadlines.calendar import Unit, compute
from ipcase.deadlines.calendar_store import load_calendar
from ipcase.deadlines.forms import CalculatorForm, MyDeadlinesFilterForm
from ipcase.deadlines.messages import notification_text
from ipcase.deadlines.models import OPEN_STATES, Deadline, DeadlineState, Notification, UnitLabel
from ipcase.deadlines.views.blueprint import bp
from ipcase.deadlines.views.countdowns import countdown, countdown_texts, provisional_years
from ipcase.deadlines.views.loading import form_status

PER_PAGE = 50
MAX_PAGE = 100_000


def my_deadlines_query(user: User, *, unit: str = "", missed: bool = False) -> sa.Select[Any]:
    """Open deadlines of the cases ``user`` is assigned to (directors: every case of their
    organisation), most urgent first: missed ones, then by due instant."""
    states = [*OPEN_STATES, DeadlineState.breached] if missed else list(OPEN_STATES)
    stmt = (
        sa.select(Deadline)
        .join(Case, Case.id == Deadline.case_id)
        .where(Deadline.state.in_(states), case_visibility_clause(user))
        .options(joinedload(Deadline.case), joinedload(Deadline.party))
    )
    if user.role == Role.director:
        stmt = stmt.where(Case.organisation_id.in_(visible_org_ids(user)))
    else:
        stmt = stmt.where(Case.id.in_(sa.select(Assignment.case_id).where(Assignment.user_id == user.id)))
    if unit:
        stmt = stmt.where(Deadline.unit == unit)
    breached_first = sa.case((Deadline.state == DeadlineState.breached, 0), else_=1)
    return stmt.order_by(breached_first, Deadline.due_at, Deadline.id)


@bp.get("/mine")
def my_deadlines() -> Any:
    if current_user.role not in STAFF_ROLES:
        abort(403)
    form = MyDeadlinesFilterForm(request.args)
    form.unit.choices = opts([("", _("All units")), *UnitLabel.choices()])
    unit, missed, page = "", False, 1
    if form.validate():
        unit, missed, page = form.unit.data or "", bool(form.missed.data), form.page.data or 1
    pagination = db.paginate(
        my_deadlines_query(current_user, unit=unit, missed=missed),
        page=page,
        per_page=PER_PAGE,
        error_out=False,
        count=True,
    )
    cal, now = load_calendar(), clock.now()
    rows = [(d, countdown(d, now=now, cal=cal), provisional_years(d, cal)) for d in pagination.items]
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "deadlines/mine.html",
        form=form,
        pagination=pagination,
        rows=rows,
        args=args,
        countdown_texts=countdown_texts(),
    )


# -- calculator ---------------------------------------------------------------------------------


@bp.route("/calculator", methods=["GET", "POST"])
def calculator() -> Any:
    if current_user.role not in STAFF_ROLES:
        abort(403)
    form = CalculatorForm()
    if request.method == "GET":
        form.start.data = clock.today().isoformat()
        form.unit.data = Unit.working_days.value
    result = None
    if form.validate_on_submit():
        command = form.to_command()
        try:
            result = compute(load_calendar(), command["unit"], command["start"], command["length"])
        except (ValueError, OverflowError):
            form.form_errors.append(_("This period cannot be computed: check the start and the length."))
    return render_template("deadlines/calculator.html", form=form, result=result), form_status(form)


# -- notifications ------------------------------------------------------------------------------


@bp.get("/notifications")
def notifications() -> Any:
    page = min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)
    stmt = (
        sa.select(Notification)
        .where(Notification.user_id == current_user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    pagination = db.paginate(stmt, page=page, per_page=PER_PAGE, error_out=False, count=True)
    deadline_ids = {n.deadline_id for n in pagination.items if n.deadline_id is not None}
    # One query for all the page's deadlines and their cases, held while the texts are built so
    # that notification_text's lookups hit the identity map (which keeps only weak references).
    held = db.session.scalars(
        sa.select(Deadline).where(Deadline.id.in_(deadline_ids)).options(joinedload(Deadline.case))
    ).all()
    rows = [(n, notification_text(n)) for n in pagination.items]
    del held
    return render_template("deadlines/notifications.html", pagination=pagination, rows=rows)


@bp.post("/notifications/read")
def read_all_notifications() -> Any:
    db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == current_user.id, Notification.read_at.is_(None))
        .values(read_at=clock.now())
    )
    db.session.commit()
    flash(_("All notifications marked as read."), "success")
    return redirect(url_for(".notifications"))


@bp.post("/notifications/<id:note_id>/read")
def read_notification(note_id: int) -> Any:
    note = db.session.get(Notification, note_id)
    if note is None or note.user_id != current_user.id:
        abort(404)
    if note.read_at is None:
        note.read_at = clock.now()
        db.session.commit()
    if request.form.get("open") and note.case_id is not None:
        return redirect(url_for("cases.show_case", case_id=note.case_id) + "#deadlines")
    return redirect(url_for(".notifications"))
