"""Party accounts: registering, logging in and out, the account's cases and linking one by its code."""

from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ipcase.auth.models import Role
from ipcase.auth.operations import authenticate, create_party_account
from ipcase.cases.models import Party
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db, limiter
from ipcase.core.forms import apply_domain_errors
from ipcase.portal import operations as ops
from ipcase.portal.forms import AccessForm, PortalLoginForm, RegisterForm
from ipcase.portal.queries import own_cases
from ipcase.portal.status import public_status
from ipcase.portal.views.blueprint import access_limit, bp, login_limit, submit_limit
from ipcase.portal.views.viewer import check_code, enter_case


def _party_user() -> Any:
    """None when the current user is a party account; otherwise the response to give instead."""
    if not current_user.is_authenticated:
        flash(_("Please log in to continue."), "info")
        return redirect(url_for(".login"))
    if current_user.role != Role.party:
        abort(403)
    return None


def _fresh_session() -> None:
    lang = session.get("lang")
    session.clear()  # a new session on login: no fixation, no other case left open
    if lang:
        session["lang"] = lang


@bp.route("/account/register", methods=["GET", "POST"])
@limiter.limit(submit_limit, methods=["POST"])
def register() -> Any:
    """A party account. The user name given is the chosen name with a random ending, so this
    form never reveals whether a user name (a staff member's, another party's) exists."""
    if current_user.is_authenticated:
        return redirect(url_for(".my_cases") if current_user.role == Role.party else url_for("cases.list_cases"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = create_party_account(
                name=form.username.data,
                password=form.password.data,
                display_name=form.display_name.data,
                email=form.email.data or "",
            )
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            apply_domain_errors(form, exc)
        else:
            _fresh_session()
            login_user(user)
            flash(
                _(
                    "Your account is ready. Your user name is %(name)s: note it down, you log in with it."
                    " Add your cases with their reference and access code.",
                    name=user.username,
                ),
                "success",
            )
            return redirect(url_for(".my_cases"))
    return render_template("portal/register.html", form=form), (422 if form.errors or form.form_errors else 200)


@bp.route("/account/login", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def login() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for(".my_cases") if current_user.role == Role.party else url_for("cases.list_cases"))
    form = PortalLoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate(form.username.data, form.password.data)
        except DomainError as exc:
            db.session.commit()  # keep the failure count
            form.password.errors.extend(exc.messages)
        else:
            db.session.commit()
            _fresh_session()
            login_user(user)
            return redirect(url_for(".my_cases") if user.role == Role.party else url_for("cases.list_cases"))
    return render_template("portal/login.html", form=form), (422 if form.errors else 200)


@bp.post("/account/logout")
def logout() -> Any:
    if current_user.is_authenticated:
        logout_user()
    _fresh_session()
    flash(_("You have logged out."), "info")
    return redirect(url_for(".index"))


@bp.get("/account/cases")
def my_cases() -> Any:
    refusal = _party_user()
    if refusal is not None:
        return refusal
    rows = [(case, party, public_status(case.channel, case.state)) for case, party in own_cases(current_user.id)]
    return render_template("portal/my_cases.html", rows=rows)


@bp.route("/account/link", methods=["GET", "POST"])
@limiter.limit(access_limit, methods=["POST"])
def link_case() -> Any:
    refusal = _party_user()
    if refusal is not None:
        return refusal
    form = AccessForm()
    if form.validate_on_submit():
        found = check_code(form)
        if found is not None:
            try:
                ops.link_party_to_account(found.party, current_user)
            except DomainError as exc:
                db.session.rollback()
                apply_domain_errors(form, exc)
            else:
                db.session.commit()
                flash(_("The case has been added to your list."), "success")
                return redirect(url_for(".my_cases"))
    return render_template("portal/link.html", form=form), (422 if form.errors or form.form_errors else 200)


@bp.get("/account/cases/<id:case_id>")
def open_own_case(case_id: int) -> Any:
    refusal = _party_user()
    if refusal is not None:
        return refusal
    party = db.session.scalar(sa.select(Party).where(Party.case_id == case_id, Party.user_id == current_user.id))
    if party is None:
        abort(404)
    enter_case(party, None)
    return redirect(url_for(".status"))
