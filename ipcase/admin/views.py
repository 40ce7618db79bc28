"""Admin pages: accounts and organisations."""

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ipcase.admin.forms import OrganisationForm, UserForm
from ipcase.auth.models import LoginThrottle, Role, ThrottleScope, User
from ipcase.auth.operations import create_user, update_user
from ipcase.auth.permissions import require_role
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.core.forms import apply_domain_errors, opts
from ipcase.core.http import SESSION_VERSION_KEY
from ipcase.organisations.models import Organisation
from ipcase.organisations.operations import create_organisation, update_organisation

bp = Blueprint("admin", __name__)


@bp.before_request
@require_role(Role.admin)
def only_admins() -> None:
    return None


def _org_choices() -> list[tuple[Any, str]]:
    orgs = db.session.scalars(sa.select(Organisation).order_by(Organisation.id))
    return [("", _("— none —"))] + [(o.id, o.name) for o in orgs]


@bp.get("/users")
def list_users() -> Any:
    users = db.session.scalars(sa.select(User).order_by(User.role, User.username)).all()
    return render_template("admin/users.html", users=users, blocked=_blocked_logins(users))


def _blocked_logins(users: list[User]) -> list[tuple[LoginThrottle, User | None]]:
    """Login keys blocked now (an address guessing at one account, or at many), newest first,
    with the account when the user name tried is one."""
    rows = db.session.scalars(
        sa.select(LoginThrottle)
        .where(LoginThrottle.blocked_until > clock.now())
        .order_by(LoginThrottle.last_attempt_at.desc())
        .limit(100)
    ).all()
    by_name = {u.username.lower(): u for u in users}
    return [(row, by_name.get(row.username) if row.scope == ThrottleScope.account else None) for row in rows]


@bp.route("/users/new", methods=["GET", "POST"])
def new_user() -> Any:
    form = UserForm()
    form.organisation_id.choices = opts(_org_choices())
    if form.validate_on_submit():
        if not form.password.data:
            form.password.errors = [_l("Set a first password for the account.")]
        else:
            try:
                create_user(
                    username=form.username.data,
                    password=form.password.data,
                    display_name=form.display_name.data,
                    role=Role(form.role.data),
                    organisation=_org(form.organisation_id.data),
                    email=form.email.data or "",
                    phone=form.phone.data or "",
                )
            except DomainError as exc:
                db.session.rollback()
                apply_domain_errors(form, exc)
            else:
                db.session.commit()
                flash(_("Account %(name)s created.", name=form.username.data), "success")
                return redirect(url_for(".list_users"))
    return render_template("admin/user_form.html", form=form, user=None), (
        422 if form.errors or form.form_errors else 200
    )


@bp.route("/users/<id:user_id>/edit", methods=["GET", "POST"])
def edit_user(user_id: int) -> Any:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    form = UserForm(obj=user)
    form.organisation_id.choices = opts(_org_choices())
    form.username.render_kw = {"readonly": True}
    form.username.data = user.username
    if form.validate_on_submit():
        data = {
            "display_name": form.display_name.data,
            "email": form.email.data or "",
            "phone": form.phone.data or "",
            "role": Role(form.role.data),
            "organisation": _org(form.organisation_id.data),
            "is_active": form.is_active.data,
            "password": form.password.data,
        }
        try:
            update_user(user, data, actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            apply_domain_errors(form, exc)
        else:
            db.session.commit()
            if user.id == current_user.id:
                # an admin's change of their own account ends their other sessions, not this one
                session[SESSION_VERSION_KEY] = user.session_version
            flash(_("Account %(name)s saved.", name=user.username), "success")
            return redirect(url_for(".list_users"))
    return render_template("admin/user_form.html", form=form, user=user), (
        422 if form.errors or form.form_errors else 200
    )


@bp.get("/organisations")
def list_organisations() -> Any:
    orgs = db.session.scalars(sa.select(Organisation).order_by(Organisation.id)).all()
    return render_template("admin/organisations.html", organisations=orgs)


@bp.route("/organisations/new", methods=["GET", "POST"])
def new_organisation() -> Any:
    return _organisation_form(None)


@bp.route("/organisations/<id:org_id>/edit", methods=["GET", "POST"])
def edit_organisation(org_id: int) -> Any:
    org = db.session.get(Organisation, org_id)
    if org is None:
        abort(404)
    return _organisation_form(org)


def _organisation_form(org: Organisation | None) -> Any:
    form = OrganisationForm(obj=org)
    others = [c for c in _org_choices() if org is None or c[0] != org.id]
    form.parent_id.choices = opts(others)
    if form.validate_on_submit():
        try:
            if org is None:
                create_organisation(form.to_command())
            else:
                update_organisation(org, form.to_command())
        except DomainError as exc:
            db.session.rollback()
            apply_domain_errors(form, exc)
        else:
            db.session.commit()
            flash(_("Organisation %(name)s saved.", name=form.name.data), "success")
            return redirect(url_for(".list_organisations"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("admin/organisation_form.html", form=form, organisation=org), status


def _org(org_id: int | None) -> Organisation | None:
    return db.session.get(Organisation, org_id) if org_id else None
