"""How an outbox message leaves the building: the SMTP mailer and the SMS providers.

Nothing here knows the outbox table (``ipcase.core.outbox`` claims the messages and records what
happened); a provider only sends, and raises when it could not. The e-mail carries a
``Message-ID`` derived from the message's idempotency key, so a message sent again after a crash
(accepted by the server, but not yet marked sent) is the same message, which mail servers and
clients recognise as a duplicate.

An SMS provider is any object with ``send(to, body)`` that raises when the message was not
accepted. ``SMS_PROVIDER`` names one by its dotted path (``package.module:Name`` or
``package.module.Name``; a class is instantiated without arguments); by default
:class:`LogSmsProvider` writes the message to the log and counts it as sent."""

import hashlib
import importlib
import logging
import smtplib
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any, Protocol

from flask import current_app

log = logging.getLogger(__name__)

#: seconds to wait for the SMTP server before the attempt counts as failed
SMTP_TIMEOUT = 10


class SmsProvider(Protocol):
    def send(self, to: str, body: str) -> None: ...


class LogSmsProvider:
    """The default SMS provider: the message goes to the log (``ipcase.core.delivery``)."""

    def send(self, to: str, body: str) -> None:
        log.info("SMS to %s: %s", to, body)


def load_provider(path: str) -> Any:
    """The object a dotted path names (``pkg.mod:Name`` or ``pkg.mod.Name``); a class is instantiated."""
    module_name, _, attr = path.partition(":") if ":" in path else path.rpartition(".")
    if not module_name or not attr:
        raise ValueError(f"SMS_PROVIDER must be a dotted path to an object with send(to, body), not {path!r}")
    obj = getattr(importlib.import_module(module_name), attr)
    return obj() if isinstance(obj, type) else obj


def sms_provider() -> SmsProvider:
    """The app's SMS provider (SMS_PROVIDER), loaded once per app."""
    path = current_app.config.get("SMS_PROVIDER")
    cache = current_app.extensions.setdefault("ipcase.sms_provider", {})
    if path not in cache:
        cache[path] = load_provider(path) if path else LogSmsProvider()
    return cache[path]


def message_id(key: str, sender: str) -> str:
    """A Message-ID that depends only on the idempotency key (and the sender's domain)."""
    domain = sender.rpartition("@")[2] or "localhost"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return f"<outbox.{digest}@{domain}>"


def build_email(key: str, to: str, subject: str, body: str) -> EmailMessage:
    sender = current_app.config.get("MAIL_FROM") or "ipcase@localhost"
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = sender
    msg["To"] = to
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = message_id(key, sender)
    msg.set_content(body)
    return msg


def is_permanent(exc: BaseException) -> bool:
    """Whether the SMTP server refused for good (5xx): trying again cannot help."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


class Mailer:
    """One SMTP connection (SMTP_* settings) for a run of messages, opened on the first message and
    opened again after the server dropped it. Use as a context manager."""

    def __init__(self) -> None:
        self.cfg = current_app.config
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> "Mailer":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None

    def _connect(self) -> smtplib.SMTP:
        host = self.cfg.get("SMTP_HOST")
        if not host:
            raise RuntimeError("SMTP_HOST is not set: e-mail cannot be sent")
        smtp = smtplib.SMTP(host, int(self.cfg.get("SMTP_PORT") or 25), timeout=SMTP_TIMEOUT)
        try:
            if self.cfg.get("SMTP_STARTTLS"):
                smtp.starttls()
            if self.cfg.get("SMTP_USER"):
                smtp.login(self.cfg["SMTP_USER"], self.cfg.get("SMTP_PASSWORD") or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, msg: EmailMessage) -> None:
        """Returns once the server accepted the message (250 after DATA); raises otherwise."""
        if self.smtp is None:
            self.smtp = self._connect()
        try:
            self.smtp.send_message(msg)
        except (OSError, smtplib.SMTPServerDisconnected):
            self.smtp.close()
            self.smtp = None
            raise
