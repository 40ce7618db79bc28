"""Prometheus metrics at ``/metrics`` (issue 15).

Request latency per endpoint comes from prometheus-flask-exporter (``ipcase_http_request_duration_seconds``
labelled by endpoint, method and status). The state of the office is read from the database at
scrape time, never counted in a worker's memory: deadlines breached and open, outbox messages
pending and parked, and what a higher layer registers with :func:`register_gauge` (the job
queue's depth and the tasks it gave up on).

Several gunicorn workers: with ``PROMETHEUS_MULTIPROC_DIR`` set (before the process starts) each
worker writes its request metrics to that folder and a scrape of any worker reads them all.

Only a scraper may read them: a request carrying ``Authorization: Bearer <METRICS_TOKEN>``, or one
from an address in ``METRICS_ALLOW`` (default the host itself). Anyone else gets 403."""

import hmac
import ipaddress
import logging
import os
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Flask, Response, abort, current_app, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_flask_exporter import PrometheusMetrics

from ipcase.core.extensions import db
from ipcase.core.outbox import OutboxMessage, OutboxStatus
from ipcase.deadlines.models import Deadline, DeadlineState

log = logging.getLogger(__name__)

_REGISTRY_KEY = "ipcase.ops.metrics_registry"
_GAUGES_KEY = "ipcase.ops.metrics_gauges"


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def configure_metrics(app: Flask) -> None:
    """Time every request per endpoint; register the database gauges. Each app has its own
    registry (tests build many apps in one process)."""
    registry = CollectorRegistry()
    PrometheusMetrics(
        app,
        path=None,  # served by main.metrics, behind the token or address check
        registry=registry,
        group_by="endpoint",
        defaults_prefix="ipcase",
        excluded_paths=["^/metrics$", "^/health$", "^/ready$", "^/static/"],
    )
    app.extensions[_REGISTRY_KEY] = registry
    breached = count_deadlines(DeadlineState.breached)
    register_gauge(app, "ipcase_deadlines_breached", "Deadlines in state breached", breached)
    register_gauge(
        app,
        "ipcase_deadlines_open",
        "Deadlines running or suspended",
        count_deadlines(DeadlineState.running, DeadlineState.suspended),
    )
    register_gauge(
        app, "ipcase_outbox_pending", "Outbox messages waiting to be sent", count_outbox(OutboxStatus.pending)
    )
    register_gauge(
        app, "ipcase_outbox_parked", "Outbox messages given up on (see admin)", count_outbox(OutboxStatus.parked)
    )


def count_deadlines(*states: DeadlineState) -> Callable[[], int]:
    def count() -> int:
        return db.session.scalar(sa.select(sa.func.count()).select_from(Deadline).where(Deadline.state.in_(states)))

    return count


def count_outbox(status: OutboxStatus) -> Callable[[], int]:
    def count() -> int:
        query = sa.select(sa.func.count()).select_from(OutboxMessage).where(OutboxMessage.status == status)
        return db.session.scalar(query)

    return count


def register_gauge(app: Flask, name: str, documentation: str, read: Callable[[], float]) -> None:
    """A gauge whose value ``read()`` gives at each scrape (a query, the queue's length)."""
    app.extensions.setdefault(_GAUGES_KEY, {})[name] = (documentation, read)


class _ScrapeTimeGauges:
    """A collector reading the registered gauges now; one that fails is left out (and logged)."""

    def __init__(self, gauges: dict[str, tuple[str, Callable[[], float]]]) -> None:
        self.gauges = gauges

    def collect(self) -> Any:
        for name, (documentation, read) in self.gauges.items():
            try:
                value = float(read())
            except Exception:  # a broken source must not hide the other metrics
                log.exception("metrics: gauge %s could not be read", name)
                db.session.rollback()
                continue
            yield GaugeMetricFamily(name, documentation, value=value)


def parse_allow(value: Any) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """METRICS_ALLOW: addresses or networks (CIDR), a list or one comma-separated string."""
    items = value.split(",") if isinstance(value, str) else list(value or [])
    return [ipaddress.ip_network(str(item).strip(), strict=False) for item in items if str(item).strip()]


def scraper_allowed() -> bool:
    token = current_app.config.get("METRICS_TOKEN")
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer "):
        if hmac.compare_digest(header.removeprefix("Bearer ").strip().encode(), str(token).encode()):
            return True
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(address in network for network in parse_allow(current_app.config.get("METRICS_ALLOW")))


def serve() -> Response:
    if not scraper_allowed():
        abort(403)
    if multiprocess_dir():
        requests = CollectorRegistry()
        multiprocess.MultiProcessCollector(requests)
    else:
        requests = current_app.extensions[_REGISTRY_KEY]
    state = CollectorRegistry()
    state.register(_ScrapeTimeGauges(current_app.extensions.get(_GAUGES_KEY, {})))
    body = generate_latest(requests) + generate_latest(state)
    return Response(body, mimetype=CONTENT_TYPE_LATEST)
