"""Site-wide pages: home, language switch, liveness (``/health``), readiness (``/ready``) and metrics
(``/metrics``, issue 15)."""

from typing import Any

from flask import Blueprint, jsonify, redirect, request, session, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField
from wtforms.validators import AnyOf

from ipcase.core.forms import opts
from ipcase.core.http import is_safe_next
from ipcase.ops import readiness
from ipcase.ops.metrics import serve as serve_metrics

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
    """Liveness: the process answers. Cheap, touches nothing (no database)."""
    return jsonify(status="ok")


@bp.get("/ready")
def ready() -> Any:
    """Readiness: 200 when the database, the queue's storage and the instance folder answer; 503
    naming the checks that failed (their errors go to the log, never into the answer)."""
    checks = readiness.run_checks()
    failed = [name for name, result in checks.items() if result != "ok"]
    if failed:
        return jsonify(status="unavailable", failed=failed, checks=checks), 503
    return jsonify(status="ok", checks=checks)


@bp.get("/metrics")
def metrics() -> Any:
    """Prometheus metrics, for a scraper holding METRICS_TOKEN or at an address in METRICS_ALLOW."""
    return serve_metrics()


@bp.app_context_processor
def language_form() -> dict[str, Any]:
    return {"language_form": LanguageForm(next=request.full_path.rstrip("?") if request else "/")}
