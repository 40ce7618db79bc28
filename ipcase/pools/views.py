"""Pool pages for staff: the list, a person's profile with their declarations and periods of
unavailability, editing, and candidates for a case. Administrators and directors edit any
profile; a person edits their own declarations and availability."""

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ipcase.auth.models import Role, User
from ipcase.cases.enums import AssignmentRole
from ipcase.cases.forms import AssignmentForm
from ipcase.cases.permissions import can_assign
from ipcase.cases.views import get_case_or_404
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.core.forms import apply_domain_errors
from ipcase.core.ipc import InvalidIPC, ipc_prefix
from ipcase.core.views import commit_or_flash
from ipcase.pools import operations as ops
from ipcase.pools.forms import DeclarationForm, PoolFilterForm, ProfileForm, RemoveForm, UnavailabilityForm
from ipcase.pools.messages import describe, describe_change
from ipcase.pools.models import Declaration, PoolProfile, Unavailability

bp = Blueprint("pools", __name__)

#: who browses the pools: those who assign staff, and administrators
BROWSERS = frozenset({Role.admin, Role.director, Role.examiner, Role.mediator})
#: who edits any profile, pools and fields included
MANAGERS = frozenset({Role.admin, Role.director})
#: the fields a person edits on their own profile
OWN_FIELDS = ("employer", "title", "declared_interests", "is_available")


def may_view(user: User, subject: User) -> bool:
    return user.role in BROWSERS or user.id == subject.id


def may_manage(user: User) -> bool:
    return user.role in MANAGERS


def may_edit(user: User, subject: User) -> bool:
    """Declarations and availability: managers for anyone, everyone for themselves."""
    return may_manage(user) or user.id == subject.id


def _subject_or_404(user_id: int) -> User:
    subject = db.session.get(User, user_id)
    if subject is None or subject.role not in ops.PROFILE_ROLES:
        abort(404)
    return subject


def _viewable(user_id: int) -> User:
    subject = _subject_or_404(user_id)
    if not may_view(current_user, subject):
        abort(403)
    return subject


def _editable(user_id: int) -> User:
    subject = _subject_or_404(user_id)
    if not may_edit(current_user, subject):
        abort(403)
    return subject


def _back(subject: User, anchor: str = "") -> Any:
    return redirect(url_for(".show_profile", user_id=subject.id) + anchor)


# -- list -------------------------------------------------------------------------------------


@bp.get("/", endpoint="list_pool")
def list_pool() -> Any:
    if current_user.role not in BROWSERS:
        abort(403)
    form = PoolFilterForm(request.args)
    profiles: list[Any] = []
    filters = ops.PoolFilters()
    if form.validate():
        ipc = ""
        if form.ipc.data:
            try:
                ipc = ipc_prefix(form.ipc.data)
            except InvalidIPC:
                form.ipc.errors = [_("Give the beginning of an IPC class, such as H04, H04L or A61K 31.")]
        if not form.ipc.errors:
            filters = ops.PoolFilters(
                pool=form.pool.data or "", ipc=ipc, available_on=form.available_on.data, q=form.q.data or ""
            )
            profiles = ops.list_profiles(filters)
    status = 422 if form.errors else 200
    day = filters.available_on or clock.today()
    return render_template(
        "pools/list.html",
        form=form,
        profiles=profiles,
        day=day,
        can_manage=may_manage(current_user),
        staff_without_profile=_staff_without_profile() if may_manage(current_user) else [],
    ), status


def _staff_without_profile() -> list[User]:
    """Accounts that could join a pool but have no profile yet (for managers to start one)."""

    roles = {r for pool in ops.POOL_ASSIGNMENT for r in ops.pool_roles(pool)}
    stmt = (
        sa.select(User)
        .where(User.is_active, User.role.in_(roles), ~User.id.in_(sa.select(PoolProfile.user_id)))
        .order_by(User.display_name)
        .limit(200)
    )
    return list(db.session.scalars(stmt))


# -- a person's profile -----------------------------------------------------------------------


def _profile_page(subject: User, status: int = 200, **forms: Any) -> Any:
    profile = ops.get_profile(subject)
    editable = may_edit(current_user, subject)
    today = clock.today()
    return render_template(
        "pools/profile.html",
        subject=subject,
        profile=profile,
        editable=editable,
        can_manage=may_manage(current_user),
        declaration_form=forms.get("declaration_form") or (DeclarationForm(formdata=None) if editable else None),
        unavailability_form=forms.get("unavailability_form")
        or (UnavailabilityForm(formdata=None) if editable else None),
        remove_form=RemoveForm(formdata=None),
        unavailable_today=profile.unavailable_on(today) if profile else [],
        today=today,
        changes=[(c, describe_change(c.event, c.data)) for c in ops.history(profile)] if profile else [],
    ), status


@bp.get("/<id:user_id>")
def show_profile(user_id: int) -> Any:
    return _profile_page(_viewable(user_id))


@bp.route("/<id:user_id>/edit", methods=["GET", "POST"])
def edit_profile(user_id: int) -> Any:
    subject = _editable(user_id)
    form = ProfileForm()
    if not may_manage(current_user):
        del form.pools
        del form.ipc_classes
    if request.method == "GET":
        form.fill(ops.get_profile(subject))
    elif form.validate_on_submit():
        command = form.to_command()
        if not may_manage(current_user):
            command = {k: v for k, v in command.items() if k in OWN_FIELDS}
        try:
            changed = ops.save_profile(subject, command, actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            apply_domain_errors(form, exc)
        else:
            db.session.commit()
            flash(_("Profile saved.") if changed else _("Nothing changed."), "success")
            return _back(subject)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("pools/edit.html", subject=subject, form=form), status


# -- declarations and periods of unavailability ------------------------------------------------


def _add(user_id: int, form_cls: Any, operation: Any, form_key: str, success: str, anchor: str) -> Any:
    subject = _editable(user_id)
    form = form_cls()
    if form.validate_on_submit():
        try:
            operation(subject, form.to_command(), actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            apply_domain_errors(form, exc)
        else:
            db.session.commit()
            flash(success, "success")
            return _back(subject, anchor)
    return _profile_page(subject, 422, **{form_key: form})


def _remove(user_id: int, model: Any, operation: Any, success: str, anchor: str) -> Any:
    subject = _editable(user_id)
    form = RemoveForm()
    if not form.validate_on_submit():
        abort(404)
    item = db.session.get(model, form.item_id.data) if 0 < (form.item_id.data or 0) < 2**31 else None
    if item is None or item.profile.user_id != subject.id:
        abort(404)
    commit_or_flash(lambda: operation(item, actor=current_user), success)
    return _back(subject, anchor)


@bp.post("/<id:user_id>/declarations")
def add_declaration(user_id: int) -> Any:
    return _add(
        user_id,
        DeclarationForm,
        ops.add_declaration,
        "declaration_form",
        _("Declaration recorded."),
        "#declarations",
    )


@bp.post("/<id:user_id>/declarations/remove")
def remove_declaration(user_id: int) -> Any:
    return _remove(user_id, Declaration, ops.remove_declaration, _("Declaration removed."), "#declarations")


@bp.post("/<id:user_id>/unavailability")
def add_unavailability(user_id: int) -> Any:
    return _add(
        user_id,
        UnavailabilityForm,
        ops.add_unavailability,
        "unavailability_form",
        _("Period of unavailability recorded."),
        "#availability",
    )


@bp.post("/<id:user_id>/unavailability/remove")
def remove_unavailability(user_id: int) -> Any:
    return _remove(
        user_id, Unavailability, ops.remove_unavailability, _("Period of unavailability removed."), "#availability"
    )


# -- candidates for a case --------------------------------------------------------------------


@bp.get("/suggest/<id:case_id>")
def suggest(case_id: int) -> Any:
    case = get_case_or_404(case_id)
    if not can_assign(current_user, case):
        abort(403)
    candidates = ops.suggest_candidates(case)
    rows = [(c, [(f, describe(f)) for f in c.findings]) for c in candidates]
    form = AssignmentForm(formdata=None)
    return render_template(
        "pools/suggest.html",
        case=case,
        rows=rows,
        classes=ops.case_ipc_classes(case),
        form=form,
        today=clock.today(),
    )


# -- the confirmation page of an assignment with warnings (rendered by cases.add_assignment) --


def confirm_assignment_page(case: Any, form: Any, user: User, exc: ops.RecusalWarnings) -> Any:
    """The findings and the assignment form again, with its confirmation checkbox."""
    return render_template(
        "pools/confirm_assignment.html",
        case=case,
        form=form,
        user=user,
        role_label=AssignmentRole(form.role.data).label,
        findings=[(f, describe(f)) for f in exc.findings],
    )
