"""Structured logs with a request id (issue 15).

Every request has an id: the caller's ``X-Request-ID`` when it is a sane token (a proxy or load
balancer that set one), else a new random one. It is sent back in the ``X-Request-ID`` response
header and carried by every log record written during the request (``request_id``; ``-`` outside
a request). ``LOG_FORMAT`` (``IPCASE_LOG_FORMAT``) chooses the output of the app's loggers
(``ipcase`` and its children) on standard error: ``text`` (the default, for the embedded run) or
``json``, one JSON object a line (python-json-logger) for a log collector."""

import logging
import re
import sys
import uuid
from typing import Any

from flask import Flask, g, has_request_context, request
from flask.logging import default_handler
from pythonjsonlogger.json import JsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
#: what a caller's request id may look like (a UUID, a hex or base64url token, a trace id)
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
TEXT_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s"
LOG_FORMATS = ("text", "json")


def current_request_id() -> str:
    if has_request_context():
        return g.get("request_id") or "-"
    return "-"


class RequestIdFilter(logging.Filter):
    """Stamps each record with the id of the request it was written in."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


def make_formatter(kind: str) -> logging.Formatter:
    if kind == "json":
        return JsonFormatter(JSON_FIELDS, rename_fields={"levelname": "level", "name": "logger"})
    return logging.Formatter(TEXT_FORMAT)


class _IpcaseHandler(logging.StreamHandler):
    """The handler configure_logging installs (recognised to be replaced when an app is built again)."""


def configure_logging(app: Flask, stream: Any = None) -> logging.Handler:
    """Give the app's loggers one handler in LOG_FORMAT with the request id, and give every
    request its id. Returns the handler."""
    kind = str(app.config.get("LOG_FORMAT") or "text").strip().lower()
    if kind not in LOG_FORMATS:
        raise RuntimeError(f"Refusing to start: LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {kind!r}")
    handler = _IpcaseHandler(stream or sys.stderr)
    handler.setFormatter(make_formatter(kind))
    handler.addFilter(RequestIdFilter())
    logger = app.logger  # "ipcase": the parent of every module's logger
    for old in [h for h in logger.handlers if isinstance(h, _IpcaseHandler) or h is default_handler]:
        logger.removeHandler(old)
    logger.addHandler(handler)

    @app.before_request
    def assign_request_id() -> None:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = given if SANE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex

    @app.after_request
    def send_request_id(response: Any) -> Any:
        response.headers[REQUEST_ID_HEADER] = current_request_id()
        return response

    return handler
