"""The pieces ``create_app`` wires together: extensions, security, blueprints, errors, templates."""

from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Flask, abort, flash, g, has_request_context, redirect, render_template, request, session, url_for
from flask.json.tag import JSONTag
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_login import current_user, user_logged_in, user_logged_out
from flask_wtf.csrf import CSRFError
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter

from ipcase import models  # noqa: F401  every model module and the four channels: tables, channel registry
from ipcase.admin import outbox_views  # noqa: F401  (its routes go on the admin blueprint)
from ipcase.admin.views import bp as admin_bp
from ipcase.auth.models import User
from ipcase.auth.operations import end_sessions
from ipcase.auth.views import bp as auth_bp
from ipcase.cases import evidence_views, transfer_views  # noqa: F401  (their routes go on the cases blueprint)
from ipcase.cases.views import bp as cases_bp
from ipcase.cli import ipcase_cli
from ipcase.core import clock
from ipcase.core.db import configure_engine
from ipcase.core.events import require_receivers
from ipcase.core.extensions import babel, csrf, db, limiter, login_manager, migrate, talisman
from ipcase.core.http import MAX_ID, SESSION_VERSION_KEY
from ipcase.credit.views import bp as credit_bp
from ipcase.deadlines import notify  # noqa: F401  subscribes to core.events.login_attacked
from ipcase.deadlines.views import bp as deadlines_bp
from ipcase.documents.render import log_subsetter
from ipcase.documents.views import bp as documents_bp
from ipcase.main import bp as main_bp
from ipcase.office import case_page  # noqa: F401  (the case page's routes go on the cases blueprint)
from ipcase.ops.logs import configure_logging
from ipcase.ops.metrics import configure_metrics, register_gauge
from ipcase.ops.readiness import register_check
from ipcase.pools.views import bp as pools_bp
from ipcase.portal.views import bp as portal_bp
from ipcase.tasks.models import JobFailure
from ipcase.tasks.queue import queue_depth

#: endpoints reachable without logging in (default deny: everything else needs a session)
PUBLIC_ENDPOINTS = frozenset({"auth.login", "main.set_language", "main.health", "static"}) | frozenset(
    # the public portal (issue 6): its pages check the case reference and access code, or a
    # party account, themselves; its staff routes (portal.staff_*) are not public
    {
        "portal.index",
        "portal.file_step",
        "portal.file_review",
        "portal.file_discard",
        "portal.access",
        "portal.status",
        "portal.leave",
        "portal.act",
        "portal.survey",
        "portal.document",
        "portal.register",
        "portal.login",
        "portal.logout",
        "portal.my_cases",
        "portal.link_case",
        "portal.open_own_case",
    }
)
#: the public check of an official document's authenticity (issue 5)
PUBLIC_ENDPOINTS |= frozenset({"documents.verify"})
#: readiness and metrics (issue 15): no session; /metrics checks its token or address itself
PUBLIC_ENDPOINTS |= frozenset({"main.ready", "main.metrics"})

CSP = {
    "default-src": "'self'",
    "img-src": "'self' data:",
    "style-src": "'self'",
    "script-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def configure_extensions(app: Flask) -> None:
    require_receivers()
    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            configure_engine(engine)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"), render_as_batch=True)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to continue.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    csrf.init_app(app)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(app.root_path + "/translations"))
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        """The session's user, if active and the session is of the account's current version:
        logout, a password or role change and deactivation end every session opened before."""
        user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
        if user is None or not user.is_active:
            return None
        return user if session.get(SESSION_VERSION_KEY) == user.session_version else None

    user_logged_in.connect(stamp_session_version, app)
    user_logged_out.connect(end_sessions_on_logout, app)
    configure_logging(app)  # first: the request id is given before any other before_request runs
    configure_metrics(app)
    register_queue_operations(app)


def register_queue_operations(app: Flask) -> None:
    """The job queue's storage is a readiness check; its depth and the tasks it gave up on are gauges."""
    register_check(app, "queue", lambda: queue_depth() >= 0)  # reading the depth reaches the storage
    register_gauge(app, "ipcase_queue_depth", "Tasks waiting in the job queue", queue_depth)
    register_gauge(app, "ipcase_job_failures", "Tasks the queue gave up on (job_failures)", count_job_failures)


def count_job_failures() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(JobFailure))


def stamp_session_version(_app: Flask, user: Any, **_: Any) -> None:
    session[SESSION_VERSION_KEY] = user.session_version


def end_sessions_on_logout(_app: Flask, user: Any, **_: Any) -> None:
    """Logging out (staff or portal) ends every session of the account, copies of this one too."""
    if isinstance(user, User):
        end_sessions(user)
        db.session.commit()
    session.pop(SESSION_VERSION_KEY, None)


def select_locale() -> str:
    if not has_request_context():
        return "zh_CN"  # CLI, sweeps, documents: the official language
    lang = session.get("lang")
    return lang if lang in ("zh_CN", "en") else "zh_CN"


class _TagLazyString(JSONTag):
    """Lazy messages (flashed or kept in the session) are stored as the text they read now."""

    __slots__ = ()

    def check(self, value: Any) -> bool:
        return isinstance(value, LazyString)

    def to_json(self, value: Any) -> Any:
        return str(value)

    tag = to_json


def configure_security(app: Flask) -> None:
    serializer = app.session_interface.serializer  # type: ignore[attr-defined]
    if not any(isinstance(tag, _TagLazyString) for tag in serializer.order):
        serializer.register(_TagLazyString, index=0)
    talisman.init_app(
        app,
        force_https=app.config["FORCE_HTTPS"],
        strict_transport_security=app.config["FORCE_HTTPS"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        content_security_policy=CSP,
        frame_options="DENY",
        referrer_policy="same-origin",
        x_content_type_options=True,
    )

    @app.before_request
    def reject_nuls() -> Any:
        """NUL bytes are never legitimate input, and PostgreSQL refuses them in text."""
        for values in (request.args, request.form):
            for key, value in values.items(multi=True):
                if "\x00" in key or "\x00" in value:
                    abort(400)
        return None

    @app.before_request
    def require_login() -> Any:
        """Default deny: only PUBLIC_ENDPOINTS are served without a session."""
        if request.endpoint is None or request.endpoint in PUBLIC_ENDPOINTS:
            return None
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return None

    @app.after_request
    def no_store_for_logged_in(response: Any) -> Any:
        # Case data must not linger in shared browser caches.
        if current_user.is_authenticated and request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response


class IdConverter(IntegerConverter):
    """A database id in URLs: positive and within a 32-bit integer, so a huge number is a
    plain 404 instead of a database overflow error."""

    def __init__(self, url_map: Any) -> None:
        super().__init__(url_map, min=1, max=MAX_ID)


def register_blueprints(app: Flask) -> None:
    app.url_map.converters["id"] = IdConverter
    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(cases_bp, url_prefix="/cases")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(deadlines_bp, url_prefix="/deadlines")
    app.register_blueprint(credit_bp, url_prefix="/credit")
    app.register_blueprint(portal_bp, url_prefix="/portal")
    app.register_blueprint(pools_bp, url_prefix="/pools")
    app.register_blueprint(documents_bp)
    report_document_renderer(app)


def report_document_renderer(app: Flask) -> None:
    """Say at start-up which font subsetter official documents use (HarfBuzz: ~0.1 s per
    Chinese PDF; fontTools: seconds), so a slow set-up is noticed before the first document."""
    try:
        log_subsetter(app.logger)
    except OSError as exc:  # WeasyPrint's system libraries (Pango) missing
        app.logger.error("documents: the PDF renderer cannot start: %s", exc)


def register_error_handlers(app: Flask) -> None:
    def page(code: int, title: Any, message: Any) -> Any:
        db.session.rollback()
        return render_template("errors/error.html", code=code, title=title, message=message), code

    @app.errorhandler(400)
    def bad_request(_e: Any) -> Any:
        return page(400, _l("Bad request"), _l("The request could not be understood. Please go back and try again."))

    @app.errorhandler(CSRFError)
    def csrf_error(_e: Any) -> Any:
        flash(_l("Your form expired or was not sent from this site. Please fill it in again."), "warning")
        target = request.referrer if _is_local(request.referrer) else url_for("main.index")
        db.session.rollback()
        return redirect(target)

    @app.errorhandler(403)
    def forbidden(_e: Any) -> Any:
        return page(403, _l("Not allowed"), _l("You do not have permission to see this page or take this action."))

    @app.errorhandler(404)
    def not_found(_e: Any) -> Any:
        return page(404, _l("Not found"), _l("There is nothing at this address. The case or page may not exist."))

    @app.errorhandler(405)
    def method_not_allowed(_e: Any) -> Any:
        return page(405, _l("Not allowed"), _l("This action cannot be taken this way."))

    @app.errorhandler(413)
    def too_large(_e: Any) -> Any:
        # the body was refused unread; the layout's language switch would read it again and
        # raise inside this handler: record it as empty, as werkzeug does once it parses a body
        request.__dict__.update(form=ImmutableMultiDict(), files=ImmutableMultiDict())
        return page(413, _l("Too large"), _l("What you sent is too large."))

    @app.errorhandler(429)
    def too_many(_e: Any) -> Any:
        return page(429, _l("Too many attempts"), _l("Too many attempts. Please wait a few minutes and try again."))

    @app.errorhandler(500)
    def server_error(_e: Any) -> Any:
        return page(500, _l("Something went wrong"), _l("An unexpected error occurred. Nothing was saved."))


def _is_local(url: str | None) -> bool:
    if not url:
        return False
    parts = urlsplit(url)
    return parts.netloc in ("", request.host)


def configure_templates(app: Flask) -> None:
    @app.template_filter("localdt")
    def localdt(value: datetime | None, fmt: str = "yyyy-MM-dd HH:mm") -> str:
        if value is None:
            return ""
        return format_datetime(value, fmt)

    @app.template_filter("localdate")
    def localdate(value: date | datetime | None) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            value = clock.to_local(value).date()
        return format_date(value, "yyyy-MM-dd")

    @app.context_processor
    def inject() -> dict[str, Any]:
        return {"current_locale": str(get_locale()), "now": clock.now}

    @app.before_request
    def remember_start() -> None:
        g.locale = select_locale()


def register_cli(app: Flask) -> None:
    app.cli.add_command(ipcase_cli)
