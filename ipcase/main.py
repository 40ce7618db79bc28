"""Site-wide pages: home, language switch, health check."""

from typing import Any

from flask import Blueprint, jsonify, redirect, request, session, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField
from wtforms.validators import AnyOf

from ipcase.core.forms import opts
from ipcase.core.http import is_safe_next

bp = Blueprint("main", __name__)


class LanguageForm(FlaskForm):
    lang = SelectField(choices=opts([("zh_CN", "中文"), ("en", "English")]), validators=[AnyOf(["zh_CN", "en"])])
    next = HiddenField()


@bp.get("/")
def index() -> Any:
    return redirect(url_for("cases.list_cases"))


@bp.post("/language")
def set_language() -> Any:
    form = LanguageForm()
    if form.validate_on_submit():
        session["lang"] = form.lang.data
    target = form.next.data if is_safe_next(form.next.data) else None
    if target is None:
        target = url_for("cases.list_cases") if current_user.is_authenticated else url_for("auth.login")
    return redirect(target)


@bp.get("/health")
def health() -> Any:
    return jsonify(status="ok")


@bp.app_context_processor
def language_form() -> dict[str, Any]:
    return {"language_form": LanguageForm(next=request.full_path.rstrip("?") if request else "/")}
