"""Who is looking at which case: the party a browser may see (kept in the signed session), and the
check of a case reference and access code that opens it."""

from typing import Any

from flask import abort, current_app, flash, request, session
from flask_babel import gettext as _
from flask_login import current_user

from ipcase.auth.models import Role
from ipcase.cases.models import Case, Party
from ipcase.core import clock
from ipcase.core.extensions import db
from ipcase.portal import access as throttle
from ipcase.portal.access import find_access
from ipcase.portal.forms import AccessForm
from ipcase.portal.models import PortalAccess
from ipcase.portal.views.blueprint import UNIFORM_ERROR, VIEWER_KEY


def enter_case(party: Party, access: PortalAccess | None) -> None:
    """Remember, in the signed session, which party of which case this browser may see."""
    session[VIEWER_KEY] = {
        "case": party.case_id,
        "party": party.id,
        "access": access.id if access is not None else None,
        "at": clock.now().timestamp(),
    }


def current_viewer() -> tuple[Case, Party] | None:
    """The case and party this browser may see now, or None (expired, revoked, or never)."""
    info = session.get(VIEWER_KEY)
    if not isinstance(info, dict):
        return None
    try:
        idle = clock.now().timestamp() - float(info["at"])
        party = db.session.get(Party, int(info["party"]))
    except (KeyError, TypeError, ValueError, OverflowError):
        session.pop(VIEWER_KEY, None)
        return None
    minutes = current_app.config["PORTAL_SESSION_MINUTES"]
    if party is None or party.case_id != info.get("case") or not 0 <= idle <= minutes * 60:
        session.pop(VIEWER_KEY, None)
        return None
    if info.get("access"):
        access = db.session.get(PortalAccess, int(info["access"]))
        if access is None or not access.is_active or access.party_id != party.id:
            session.pop(VIEWER_KEY, None)
            return None
    elif not (current_user.is_authenticated and current_user.role == Role.party and party.user_id == current_user.id):
        session.pop(VIEWER_KEY, None)
        return None
    info["at"] = clock.now().timestamp()  # the session lasts while it is used
    session[VIEWER_KEY] = info
    return party.case, party


def viewer_or_flash() -> Any:
    viewer = current_viewer()
    if viewer is None:
        flash(_("Enter your case reference and access code to see your case."), "info")
    return viewer


def check_code(form: AccessForm) -> PortalAccess | None:
    """The access row the form's reference and code open, or None with the uniform error.

    An address that guessed wrong too often is refused (429) before its code is checked; a right
    code from any other address always opens its case, however many wrong codes were tried for the
    case's reference. The first time a reference is found under attack, its case's staff see it."""
    reference, address = form.reference.data, request.remote_addr
    if not throttle.admit(reference, address):
        abort(429)
    found = find_access(reference, form.code.data)
    if found is not None:
        throttle.release(reference, address)
        return found
    failure = throttle.record_failure(reference, address)
    if failure.attack_began and throttle.tell_staff(reference):
        db.session.commit()
    form.form_errors.append(UNIFORM_ERROR)
    return None
