"""The e-mail receipt of an online filing, queued in the outbox with the filing and sent from there
through the SMTP server of the config (as the deadline notifications are, ``ipcase.core.outbox``).

The receipt names the case reference, the office and the time of receipt, but never the access
code: the code is shown once on screen and stored only as a hash, and mail is not a safe place
for it. A lost code is replaced by the office."""

import logging

from flask import current_app, url_for
from flask_babel import gettext as _

from ipcase.cases.models import Case
from ipcase.core import clock
from ipcase.core.outbox import InvalidAddress, queue_email
from ipcase.portal.queries import office_name

log = logging.getLogger(__name__)


def receipt_text(case: Case) -> str:
    received = clock.to_local(case.received_at).strftime("%Y-%m-%d %H:%M")
    lines = [
        _("Your filing has been received."),
        "",
        _("Case reference: %(number)s", number=case.number or ""),
        _("Procedure: %(channel)s", channel=case.channel.label),
        _("Office: %(office)s", office=office_name(case.organisation)),
        _("Received at: %(at)s (China time)", at=received),
        "",
        _("Check the status of your case with the reference and the access code you were shown:"),
        url_for("portal.access", _external=True),
        "",
        _("This message does not contain your access code. If you have lost it, ask the office for a new one."),
    ]
    return "\n".join(lines)


def send_receipt(address: str, case: Case) -> bool:
    """Queue the receipt in the outbox, in the filing's transaction (key ``receipt:<case id>``,
    so it is queued once); delivery happens after the request (``ipcase.core.outbox``). False
    when no SMTP server is configured or the address is not one (the filing stands either way)."""
    if not current_app.config.get("SMTP_HOST") or not address:
        return False
    subject = _("Receipt of your filing %(number)s", number=case.number or "")
    try:
        queue_email(f"receipt:{case.id}", address, subject, receipt_text(case), case_id=case.id)
    except InvalidAddress:
        log.warning("the receipt of case %s has no valid address", case.id)
        return False
    return True
