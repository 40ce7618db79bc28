"""The portal blueprint and what every portal page shares: the session keys, the uniform answer to a
wrong reference or code, the rate limits (read from the config at request time), ``no-store`` and
``noindex`` on every response, the portal's own error pages, and the landing page.

Security (style §I, SD ``source_app``): one uniform error for any wrong reference or code,
attempts rate-limited per address and wrong codes slowed down per address (never refusing a right
code for a case whose reference is known to all, see ``portal.access``), a honeypot on every public form,
CSRF on every POST, ``no-store`` and ``noindex`` on every page, no inline script or style."""

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.datastructures import ImmutableMultiDict

from ipcase.cases.enums import Channel
from ipcase.core.extensions import db
from ipcase.portal.forms import AccessForm

bp = Blueprint("portal", __name__)

#: session keys: the draft's token, and who is looking at which case
DRAFT_KEY = "portal_draft"
VIEWER_KEY = "portal"

#: the one answer to any wrong case reference or access code
UNIFORM_ERROR = _l("The case reference and access code do not match. Check both and try again.")


# -- limits (read from the config at request time) ------------------------------------------------


def access_limit() -> str:
    return current_app.config["PORTAL_ACCESS_RATE_LIMIT"]


def submit_limit() -> str:
    return current_app.config["PORTAL_SUBMIT_RATE_LIMIT"]


def login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


# -- every portal response ------------------------------------------------------------------------------


@bp.after_request
def private_and_unindexed(response: Any) -> Any:
    # Case data and one-time codes must not linger in any cache, nor be indexed.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


ERRORS = {
    400: (_l("Bad request"), _l("The request could not be understood. Please go back and try again.")),
    403: (_l("Not allowed"), _l("You may not see this page or take this action.")),
    404: (_l("Not found"), _l("There is nothing at this address.")),
    405: (_l("Not allowed"), _l("This action cannot be taken this way.")),
    413: (_l("Too large"), _l("What you sent is too large. Send fewer or smaller files.")),
    429: (_l("Too many attempts"), _l("Too many attempts. Please wait a while and try again.")),
}


def _error_page(exc: Any) -> Any:
    code = getattr(exc, "code", 400) or 400
    title, message = ERRORS.get(code, ERRORS[400])
    db.session.rollback()
    if code == 413:
        # The body was refused unread; every later look at the form (the layout's language
        # switch) would raise again. Record it as empty, as werkzeug does once it parses a body.
        request.__dict__.update(form=ImmutableMultiDict(), files=ImmutableMultiDict())
    template = "errors/error.html" if (request.endpoint or "").startswith("portal.staff_") else "portal/error.html"
    return render_template(template, code=code, title=title, message=message), code


for _code in ERRORS:
    bp.register_error_handler(_code, _error_page)


@bp.errorhandler(CSRFError)
def csrf_error(_exc: CSRFError) -> Any:
    """As on the staff side (a CSRFError is a 400, which the portal's own 400 page would catch
    first): a friendly message on the page the form came from, never a bare error."""
    db.session.rollback()
    flash(_l("Your form expired or was not sent from this site. Please fill it in again."), "warning")
    referrer = request.referrer or ""
    parts = urlsplit(referrer)
    local = referrer and parts.netloc in ("", request.host) and parts.path.startswith("/portal/")
    return redirect(referrer if local else url_for(".index"))


# -- landing page ----------------------------------------------------------------------------------------


@bp.get("/")
def index() -> Any:
    return render_template("portal/index.html", channels=list(Channel), form=AccessForm())
