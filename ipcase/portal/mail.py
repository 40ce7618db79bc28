"""The e-mail receipt of an online filing, sent through the SMTP server of the config (as the
deadline notifications are, ``ipcase.deadlines.jobs``).

The receipt names the case reference, the office and the time of receipt, but never the access
code: the code is shown once on screen and stored only as a hash, and mail is not a safe place
for it. A lost code is replaced by the office."""

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app, url_for
from flask_babel import gettext as _

from ipcase.cases.models import Case
from ipcase.core import clock
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
    """Send the receipt; False when no SMTP server is configured or sending failed (the filing
    stands either way)."""
    cfg = current_app.config
    if not cfg.get("SMTP_HOST") or not address:
        return False
    msg = EmailMessage()
    msg["Subject"] = _("Receipt of your filing %(number)s", number=case.number or "")
    msg["From"] = cfg.get("MAIL_FROM", "ipcase@localhost")
    msg["To"] = address
    msg.set_content(receipt_text(case))
    try:
        with smtplib.SMTP(cfg["SMTP_HOST"], cfg.get("SMTP_PORT", 25), timeout=10) as smtp:
            if cfg.get("SMTP_STARTTLS"):
                smtp.starttls()
            if cfg.get("SMTP_USER"):
                smtp.login(cfg["SMTP_USER"], cfg.get("SMTP_PASSWORD", ""))
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException):
        log.exception("could not e-mail the receipt of case %s", case.id)
        return False
    return True
