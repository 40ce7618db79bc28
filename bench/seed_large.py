"""Build a benchmark database: migrate, load the demo data, then add N synthetic cases.

    python bench/seed_large.py                                  # 100,000 cases, new SQLite file in /tmp
    python bench/seed_large.py --cases 20000 --database-url postgresql://postgres@127.0.0.1:5432/test \\
        --schema bench

The functions here are shared with ``bench/case_list.py``.
"""

import argparse
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ipcase import create_app
from ipcase.cases.models import Case
from ipcase.config import normalise_database_url
from ipcase.core.extensions import db
from ipcase.demo.large import seed_large
from ipcase.demo.seed import seed_demo


def build_app(database_url: str, schema: str | None = None, **extra: Any) -> Flask:
    """The application on ``database_url``; with ``schema``, every connection works inside it."""
    config: dict[str, Any] = {"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True, "SECRET_KEY": "bench"}
    if schema:
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"options": f"-csearch_path={schema}"}}
    return create_app(config | extra)


@contextmanager
def private_schema(database_url: str, schema: str, *, drop: bool = True) -> Iterator[None]:
    """Create a PostgreSQL schema for the run (and drop it afterwards), so nothing else is touched."""
    engine = sa.create_engine(normalise_database_url(database_url))
    quoted = engine.dialect.identifier_preparer.quote_identifier(schema)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {quoted}")
    try:
        yield
    finally:
        if drop:
            with engine.begin() as conn:
                conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {quoted} CASCADE")
        engine.dispose()


def prepare(app: Flask, cases: int) -> dict[str, float]:
    """Migrate, load the demo data (once) and insert ``cases`` synthetic cases; seconds per step."""
    timings: dict[str, float] = {}
    with app.app_context():
        started = time.perf_counter()
        upgrade()
        timings["migrate"] = time.perf_counter() - started
        started = time.perf_counter()
        seed_demo()
        db.session.commit()
        timings["seed_demo"] = time.perf_counter() - started
        timings["seed_large"] = seed_large(cases)
        started = time.perf_counter()
        # Fresh planner statistics, as autovacuum (PostgreSQL) or a DBA (SQLite) would give a
        # database that grew over years; without them the first plans are guesses.
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
        timings["analyze"] = time.perf_counter() - started
        db.session.remove()
    return timings


def dispose(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


def count_cases(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Case)) or 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="default: a new SQLite file under /tmp")
    parser.add_argument("--cases", type=int, default=100_000, help="synthetic cases to add (default 100000)")
    parser.add_argument("--schema", help="PostgreSQL only: create this schema if missing and work inside it")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='ipcase-bench-')}/bench.sqlite"
    if args.schema and not url.startswith("postgres"):
        parser.error("--schema needs a PostgreSQL --database-url")

    print(f"database: {url}" + (f" (schema {args.schema})" if args.schema else ""))
    app = build_app(url, args.schema)
    if args.schema:
        with private_schema(url, args.schema, drop=False):
            timings = prepare(app, args.cases)
    else:
        timings = prepare(app, args.cases)
    total = count_cases(app)
    dispose(app)
    for step, seconds in timings.items():
        print(f"  {step:<11} {seconds:8.1f} s")
    rate = args.cases / timings["seed_large"] if timings["seed_large"] else float("inf")
    print(f"{args.cases} synthetic cases in {timings['seed_large']:.1f} s ({rate:,.0f} cases/s); {total} cases in all")


if __name__ == "__main__":
    main()
