"""The status check and acting online: opening a case with its code, its status page, served
documents, online requests and the survey."""

from typing import Any
from urllib.parse import quote

from flask import abort, current_app, flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ipcase.core.errors import DomainError
from ipcase.core.extensions import db, limiter
from ipcase.core.forms import apply_domain_errors
from ipcase.portal import operations as ops
from ipcase.portal.forms import AccessForm, SubmissionForm, SurveyForm
from ipcase.portal.models import RequestKind
from ipcase.portal.queries import served_document, status_page
from ipcase.portal.status import why_not_online
from ipcase.portal.uploads import read_uploads
from ipcase.portal.views.blueprint import VIEWER_KEY, access_limit, bp, submit_limit
from ipcase.portal.views.viewer import check_code, enter_case, viewer_or_flash


@bp.route("/status/access", methods=["GET", "POST"])
@limiter.limit(access_limit, methods=["POST"])
def access() -> Any:
    form = AccessForm()
    if form.validate_on_submit():
        found = check_code(form)
        if found is not None:
            db.session.commit()  # last use
            enter_case(found.party, found)
            return redirect(url_for(".status"))
    return render_template("portal/access.html", form=form), (422 if form.errors or form.form_errors else 200)


@bp.get("/status")
def status() -> Any:
    viewer = viewer_or_flash()
    if viewer is None:
        return redirect(url_for(".access"))
    case, party = viewer
    return render_template("portal/status.html", page=status_page(case, party), kinds=RequestKind)


@bp.get("/status/documents/<id:document_id>")
def document(document_id: int) -> Any:
    viewer = viewer_or_flash()
    if viewer is None:
        return redirect(url_for(".access"))
    _case, party = viewer
    found = served_document(party, document_id)
    if found is None:
        abort(404)
    response = make_response(found.pdf)
    response.headers["Content-Type"] = "application/pdf"
    filename = quote(f"{found.number}.pdf")
    response.headers["Content-Disposition"] = f"attachment; filename=\"document.pdf\"; filename*=UTF-8''{filename}"
    return response


@bp.post("/status/leave")
def leave() -> Any:
    session.pop(VIEWER_KEY, None)
    flash(_("You have left the case page."), "info")
    return redirect(url_for(".index"))


@bp.route("/status/act/<kind>", methods=["GET", "POST"])
@limiter.limit(submit_limit, methods=["POST"])
def act(kind: str) -> Any:
    try:
        request_kind = RequestKind(kind)
    except ValueError:
        abort(404)
    viewer = viewer_or_flash()
    if viewer is None:
        return redirect(url_for(".access"))
    case, party = viewer
    refusal = why_not_online(case.channel, case.state, party.role, request_kind.value, is_closed=case.is_closed)
    if refusal:
        flash(str(refusal), "warning")
        return redirect(url_for(".status"))
    form = SubmissionForm()
    if form.validate_on_submit():
        try:
            uploads = read_uploads(request.files, field="file")
            ops.submit_request(case, party, request_kind, text=form.text.data or "", uploads=uploads)
        except DomainError as exc:
            db.session.rollback()
            apply_domain_errors(form, exc)
        else:
            db.session.commit()
            flash(_("Sent. The office has received it and will tell you what happens next."), "success")
            return redirect(url_for(".status"))
    return render_template(
        "portal/act.html",
        kind=request_kind,
        case=case,
        party=party,
        form=form,
        max_files=current_app.config["PORTAL_UPLOAD_MAX_FILES"],
        max_mb=current_app.config["PORTAL_UPLOAD_MAX_BYTES"] // (1024 * 1024),
    ), (422 if form.errors or form.form_errors else 200)


@bp.route("/status/survey", methods=["GET", "POST"])
@limiter.limit(submit_limit, methods=["POST"])
def survey() -> Any:
    viewer = viewer_or_flash()
    if viewer is None:
        return redirect(url_for(".access"))
    case, party = viewer
    if not ops.can_rate(case, party):
        flash(
            _("You have already rated this case. Thank you.")
            if case.is_closed
            else _("The survey opens when the case is closed."),
            "info",
        )
        return redirect(url_for(".status"))
    form = SurveyForm()
    if form.validate_on_submit():
        try:
            ops.record_survey(case, party, score=int(form.score.data), comment=form.comment.data or "")
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            apply_domain_errors(form, exc)
        except IntegrityError:
            # a second answer sent at the same moment: the unique constraint keeps one
            db.session.rollback()
            flash(_("You have already rated this case. Thank you."), "info")
            return redirect(url_for(".status"))
        else:
            flash(_("Thank you for your rating."), "success")
            return redirect(url_for(".status"))
    status_code = 422 if form.errors or form.form_errors else 200
    return render_template("portal/survey.html", case=case, form=form), status_code
