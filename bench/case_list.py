"""Benchmark the staff case list (GET /cases/) at volume, on SQLite and on PostgreSQL.

For each backend: build a fresh database (SQLite file in /tmp; PostgreSQL in a private schema that
is dropped at the end), load the demo data plus ``--cases`` synthetic cases, log in as the demo
``examiner`` and ``admin``, and time each scenario (median of ``--repeat`` requests after one
warm-up). The SQL statements of every request are counted: the count must not grow with the
rows on the page, or the list is loading something per row.

    python bench/case_list.py                        # 100,000 cases, both backends
    python bench/case_list.py --cases 20000 --backends sqlite
"""

import argparse
import re
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask

sys.path.insert(0, str(Path(__file__).resolve().parent))
from seed_large import build_app, dispose, prepare, private_schema

from ipcase.cases.models import Case, IPRight
from ipcase.core.extensions import db
from ipcase.demo.large import TRADE_NAMES
from ipcase.demo.seed import DEMO_ACCOUNTS
from ipcase.organisations.models import Organisation

PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
#: the demo accounts the list is measured for: one office's examiner, and the admin who sees all
USERS = ("examiner", "admin")


@dataclass
class Result:
    backend: str
    user: str
    scenario: str
    matches: int
    rows: int
    median_ms: float
    p90_ms: float
    statements: int
    statements_spread: str


def scenarios(app: Flask) -> list[tuple[str, dict[str, str]]]:
    """The requests to time; search values are taken from the data, from the examiner's office."""
    with app.app_context():
        office = db.session.scalar(sa.select(Organisation.id).where(Organisation.code == "cd-ipo"))
        mid = sa.select(Case.id).where(Case.organisation_id == office).order_by(Case.id).offset(20_000).limit(1)
        case_id = db.session.scalar(mid) or db.session.scalar(sa.select(sa.func.max(Case.id)))
        number = db.session.scalar(sa.select(Case.number).where(Case.id == case_id))
        patent = db.session.scalar(
            sa.select(IPRight.number).where(IPRight.case_id == case_id, IPRight.right_type == "patent")
        ) or db.session.scalar(sa.select(IPRight.number).where(IPRight.right_type == "patent").limit(1))
        db.session.remove()
    return [
        ("first page", {}),
        ("page 2000", {"page": "2000"}),
        ("channel + state", {"channel": "adjudication", "state": "evidence"}),
        (f"party name “{TRADE_NAMES[3]}”", {"q": TRADE_NAMES[3]}),
        ("full patent number", {"q": str(patent)}),
        ("case number", {"q": str(number)}),
    ]


def run_backend(backend: str, cases: int, repeat: int, pg_url: str) -> tuple[list[Result], dict[str, float]]:
    if backend == "sqlite":
        url, schema = f"sqlite:///{tempfile.mkdtemp(prefix='ipcase-bench-')}/bench.sqlite", None
    else:
        url, schema = pg_url, f"bench_{uuid.uuid4().hex[:8]}"
    with private_schema(url, schema) if schema else nullcontext():
        # the list must be measured as served: login forms without CSRF tokens and no rate limit
        app = build_app(
            url, schema, WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=False, PASSWORD_HASH_FAST=True, SERVER_NAME=None
        )
        try:
            timings = prepare(app, cases)
            results = measure(app, backend, repeat)
        finally:
            dispose(app)
    return results, timings


def measure(app: Flask, backend: str, repeat: int) -> list[Result]:
    passwords = {username: password for username, password, *_ in DEMO_ACCOUNTS}
    statements = [0]

    def count(*_args: Any) -> None:
        statements[0] += 1

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    results = []
    try:
        todo = scenarios(app)
        for username in USERS:
            client = app.test_client()
            login = client.post("/login", data={"username": username, "password": passwords[username]})
            if login.status_code != 302:
                raise SystemExit(f"login as {username} failed with {login.status_code}")
            for label, query in todo:
                times, counts = [], []
                for attempt in range(repeat + 1):
                    statements[0] = 0
                    started = time.perf_counter()
                    response = client.get("/cases/", query_string=query)
                    elapsed = time.perf_counter() - started
                    if response.status_code != 200:
                        raise SystemExit(f"{label} as {username}: HTTP {response.status_code}")
                    if attempt:  # the first request warms caches and is not counted
                        times.append(elapsed * 1000)
                        counts.append(statements[0])
                html = response.get_data(as_text=True)
                results.append(
                    Result(
                        backend=backend,
                        user=username,
                        scenario=label,
                        matches=_total(html),
                        rows=html.count('<td class="nowrap"><a href="/cases/'),
                        median_ms=statistics.median(times),
                        p90_ms=statistics.quantiles(times, n=10)[-1] if len(times) > 1 else times[0],
                        statements=int(statistics.median(counts)),
                        statements_spread=f"{min(counts)}–{max(counts)}" if min(counts) != max(counts) else "",
                    )
                )
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    return results


def _total(html: str) -> int:
    """The "N cases" figure above the table, in whichever language the page is in."""
    found = re.search(r'class="muted count">([^<]*)<', html)
    digits = re.sub(r"\D", "", found.group(1)) if found else ""
    return int(digits) if digits else -1


def print_table(results: list[Result]) -> None:
    header = (
        f"{'backend':<10} {'user':<9} {'scenario':<22} {'matches':>8} {'rows':>4} "
        f"{'median ms':>9} {'p90 ms':>7} {'SQL':>4}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        spread = f" ({r.statements_spread})" if r.statements_spread else ""
        print(
            f"{r.backend:<10} {r.user:<9} {_pad(r.scenario, 22)} {r.matches:>8} {r.rows:>4} "
            f"{r.median_ms:>9.1f} {r.p90_ms:>7.1f} {r.statements:>4}{spread}"
        )


def _pad(text: str, width: int) -> str:
    # CJK characters take two columns in a terminal
    used = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    return text + " " * max(width - used, 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000, help="synthetic cases per backend (default 100000)")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per scenario (default 20)")
    parser.add_argument("--backends", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument("--pg-url", default=PG_URL, help=f"PostgreSQL server (default {PG_URL})")
    args = parser.parse_args()

    all_results: list[Result] = []
    for backend in args.backends.split(","):
        print(f"== {backend}: seeding {args.cases} cases …", flush=True)
        started = time.perf_counter()
        results, timings = run_backend(backend.strip(), args.cases, args.repeat, args.pg_url)
        steps = ", ".join(f"{k} {v:.1f} s" for k, v in timings.items())
        print(f"   {steps}; whole backend {time.perf_counter() - started:.0f} s", flush=True)
        all_results.extend(results)
    print()
    print_table(all_results)


if __name__ == "__main__":
    main()
