"""Login, logout and the user's own password."""

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ipcase.auth.forms import LoginForm, PasswordForm
from ipcase.auth.operations import authenticate, change_password
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db, limiter
from ipcase.core.http import SESSION_VERSION_KEY, is_safe_next

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("cases.list_cases"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            user = authenticate(form.username.data, form.password.data)
        except DomainError as exc:
            db.session.commit()  # keep the failure count
            form.password.errors.extend(exc.messages)
        else:
            db.session.commit()
            lang = session.get("lang")
            session.clear()  # a fresh session on login: no fixation
            if lang:
                session["lang"] = lang
            login_user(user)
            target = form.next.data if is_safe_next(form.next.data) else url_for("cases.list_cases")
            return redirect(target)
    status = 200 if not form.errors else 422
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout() -> Any:
    lang = session.get("lang")
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password() -> Any:
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            change_password(current_user, current=form.current.data, new=form.password.data)
        except DomainError as exc:
            db.session.rollback()
            for field, message in exc.reasons:
                getattr(form, field or "password").errors.append(message)
        else:
            db.session.commit()
            # every other session of the account has ended; this one stays, re-stamped
            session[SESSION_VERSION_KEY] = current_user.session_version
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("cases.list_cases"))
    return render_template("auth/password.html", form=form), (422 if form.errors else 200)
