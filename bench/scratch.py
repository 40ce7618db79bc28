"""A scratch database for a bench run: a fresh SQLite file, or a private schema on the PostgreSQL
test server (``IPCASE_TEST_DATABASE_URL``), dropped afterwards."""

import os
import tempfile
import uuid
from pathlib import Path

import sqlalchemy as sa

PG_URL = os.environ.get("IPCASE_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _engine() -> sa.Engine:
    return sa.create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))


def build(backend: str, label: str) -> tuple[dict, str | None]:
    """The app settings of a new scratch database, and its PostgreSQL schema (None on SQLite)."""
    if backend == "sqlite":
        path = Path(tempfile.mkdtemp()) / f"{label}.sqlite"
        return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"}, None
    schema = f"bench_{label}_{uuid.uuid4().hex[:8]}"
    engine = _engine()
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    engine.dispose()
    return {
        "SQLALCHEMY_DATABASE_URI": PG_URL,
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema}"}},
    }, schema


def drop(schema: str | None) -> None:
    """Drop what :func:`build` made on PostgreSQL (the SQLite file is left in its temporary folder)."""
    if schema:
        engine = _engine()
        with engine.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        engine.dispose()
