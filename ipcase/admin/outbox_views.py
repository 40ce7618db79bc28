"""Admin pages of the outbox (issue 15): every queued e-mail and SMS with its state, attempts and
last error, parked messages first, and a retry for each parked one. Routes on the admin blueprint,
so only administrators reach them."""

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ipcase.admin.views import bp
from ipcase.core.extensions import db
from ipcase.core.outbox import STATUS_ORDER, OutboxStatus, list_messages, retry, status_counts

STATUS_LABELS = {
    OutboxStatus.parked: _l("Parked"),
    OutboxStatus.sending: _l("Sending"),
    OutboxStatus.pending: _l("Waiting"),
    OutboxStatus.sent: _l("Sent"),
}


@bp.get("/outbox")
def outbox() -> Any:
    try:
        status = OutboxStatus(request.args["status"]) if request.args.get("status") else None
    except ValueError:
        status = None
    return render_template(
        "admin/outbox.html",
        messages=list_messages(status),
        counts=status_counts(),
        status=status,
        statuses=STATUS_ORDER,
        labels=STATUS_LABELS,
    )


@bp.post("/outbox/<id:message_id>/retry")
def retry_outbox(message_id: int) -> Any:
    if retry(message_id, current_user):
        db.session.commit()
        flash(_("The message is queued again."), "success")
    else:
        flash(_("This message is not parked: nothing to retry."), "warning")
    return redirect(url_for(".outbox", status=request.args.get("status") or None))
