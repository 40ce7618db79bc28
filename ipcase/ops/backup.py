"""Backup and restore of a whole instance in one portable archive (issue 15).

The archive (``.tar.gz``) holds ``manifest.json`` and one JSON-lines file per table of the
models' metadata, in dependency order (a row's parents come before it), rows in primary-key order.
Evidence files and issued PDFs (documents and batches) are kept in the database, so they travel
with their rows; nothing else of the instance folder is needed (``instance/config.py`` holds the
secrets and is deliberately left out: keep it with the other secrets). The manifest gives the
alembic revision, each table's columns and row count, and the SHA-256 of every issued document
and batch PDF as read from the database.

Values are written by type, not by backend, so an archive of SQLite restores into PostgreSQL and
back: bytes as base64, datetimes, dates and times in ISO 8601, decimals as text, enums by value.

:func:`restore` refuses a database that holds any row, migrates an empty one to the archive's
revision, loads the rows in one transaction, moves PostgreSQL's sequences past the loaded ids,
and checks every issued document's hash against the manifest."""

import base64
import hashlib
import json
import os
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask_migrate import upgrade

from ipcase.core import clock
from ipcase.core.extensions import db

FORMAT = 1
MANIFEST = "manifest.json"
#: tables whose ``pdf`` is an issued document (``sha256`` is the hash stored with it)
DOCUMENT_TABLES = ("issued_documents", "document_batches")
#: rows sent to the database per statement while restoring
CHUNK = 500


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


@dataclass
class RestoreReport:
    revision: str | None
    counts: dict[str, int] = field(default_factory=dict)
    verified: int = 0
    mismatched: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatched


# --- values ----------------------------------------------------------------------------------


def encode(value: Any) -> Any:
    """A column's value as JSON."""
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, timedelta):
        return value.total_seconds()
    return value


def _base_type(type_: sa.types.TypeEngine) -> sa.types.TypeEngine:
    return type_.impl_instance if isinstance(type_, sa.TypeDecorator) else type_


def decode(value: Any, type_: sa.types.TypeEngine) -> Any:
    """The Python value :func:`encode` wrote for a column of ``type_``."""
    if value is None:
        return None
    base = _base_type(type_)
    if isinstance(base, sa.LargeBinary):
        return base64.b64decode(value)
    if isinstance(base, sa.Enum) and base.enum_class is not None:
        return base.enum_class(value)
    if isinstance(base, sa.DateTime):
        return datetime.fromisoformat(value)
    if isinstance(base, sa.Date):
        return date.fromisoformat(value)
    if isinstance(base, sa.Time):
        return time.fromisoformat(value)
    if isinstance(base, sa.Interval):
        return timedelta(seconds=value)
    if isinstance(base, sa.Numeric) and not isinstance(base, sa.Float):
        return Decimal(value) if base.asdecimal else float(value)
    return value


def _bind_type(column: sa.Column) -> sa.types.TypeEngine:
    """The type a restored value is sent with: the model's, except that a None in a nullable
    JSON column is SQL NULL (reading cannot tell it from JSON null; NULL is what columns hold)."""
    if isinstance(column.type, sa.JSON) and column.nullable:
        return type(column.type)(none_as_null=True)
    return column.type


# --- backup ----------------------------------------------------------------------------------


def _tables() -> list[sa.Table]:
    return list(db.metadata.sorted_tables)


def _revision(conn: sa.Connection) -> str | None:
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def _rows(conn: sa.Connection, table: sa.Table) -> Iterator[sa.Row]:
    query = sa.select(table).order_by(*table.primary_key.columns)
    yield from conn.execution_options(yield_per=200).execute(query)


def backup(path: Path) -> dict[str, Any]:
    """Write the archive to ``path`` (replaced only once complete); returns the manifest."""
    path = Path(path)
    engine = db.engine
    options = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created_at": clock.now().isoformat(),
        "source": engine.dialect.name,
        "alembic_revision": None,
        "tables": [],
        "documents": [],
        "files": [],  # evidence and PDFs live in the database: no upload files on disk
    }
    with tempfile.TemporaryDirectory() as folder, engine.connect().execution_options(**options) as conn:
        with conn.begin():  # one snapshot of every table
            manifest["alembic_revision"] = _revision(conn)
            if manifest["alembic_revision"] is None:
                raise BackupError(
                    "the database has no migration revision: create it with `flask --app wsgi db upgrade`"
                )
            for position, table in enumerate(_tables()):
                name = f"tables/{position:03d}_{table.name}.jsonl"
                target = Path(folder) / name
                target.parent.mkdir(exist_ok=True)
                count = 0
                with target.open("w", encoding="utf-8") as out:
                    for row in _rows(conn, table):
                        values = row._asdict()
                        # a batch still queued (or failed) has no PDF yet: nothing to verify
                        if table.name in DOCUMENT_TABLES and values.get("pdf") is not None:
                            manifest["documents"].append(_document_entry(table.name, values))
                        out.write(json.dumps({k: encode(v) for k, v in values.items()}, ensure_ascii=False))
                        out.write("\n")
                        count += 1
                columns = [column.name for column in table.columns]
                manifest["tables"].append({"name": table.name, "file": name, "rows": count, "columns": columns})
        (Path(folder) / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(Path(folder) / MANIFEST, arcname=MANIFEST)
            for entry in manifest["tables"]:
                tar.add(Path(folder) / entry["file"], arcname=entry["file"])
        os.replace(partial, path)
    return manifest


def _document_entry(table: str, values: dict[str, Any]) -> dict[str, Any]:
    pdf = bytes(values["pdf"])
    return {
        "table": table,
        "id": values["id"],
        "number": values.get("number"),
        "sha256": hashlib.sha256(pdf).hexdigest(),
        "stored_sha256": values["sha256"],
        "size": len(pdf),
    }


# --- restore ---------------------------------------------------------------------------------


def read_manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"not an ipcase backup: {MANIFEST} missing or unreadable") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r} (this version reads {FORMAT})")
    return manifest


def refuse_non_empty(conn: sa.Connection, revision: str | None) -> None:
    """Restore only into an empty database: no table holding a row, at no other revision."""
    inspector = sa.inspect(conn)
    present = set(inspector.get_table_names())
    for table in _tables():
        if table.name in present and conn.execute(sa.select(sa.func.count()).select_from(table)).scalar():
            raise BackupError(f"the database is not empty (table {table.name} has rows): restore needs an empty one")
    current = _revision(conn) if "alembic_version" in present else None
    if current is not None and current != revision:
        raise BackupError(
            f"the database is at migration {current}, the backup at {revision}: restore into a new, empty database"
        )


def _archive_rows(folder: Path, entry: dict[str, Any]) -> Iterator[dict[str, Any]]:
    with (folder / entry["file"]).open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def _load_table(conn: sa.Connection, folder: Path, entry: dict[str, Any]) -> int:
    model = db.metadata.tables.get(entry["name"])
    if model is None:
        raise BackupError(f"table {entry['name']} of the backup is unknown to this version of ipcase")
    unknown = [name for name in entry["columns"] if name not in model.columns]
    if unknown:
        raise BackupError(f"columns {', '.join(unknown)} of {entry['name']} are unknown to this version of ipcase")
    # only the archive's columns, with the models' types: no defaults of newer columns are added
    target = sa.table(entry["name"], *[sa.column(name, _bind_type(model.columns[name])) for name in entry["columns"]])
    types = {name: model.columns[name].type for name in entry["columns"]}
    count = 0
    chunk: list[dict[str, Any]] = []
    for row in _archive_rows(folder, entry):
        chunk.append({name: decode(row.get(name), types[name]) for name in entry["columns"]})
        if len(chunk) >= CHUNK:
            conn.execute(target.insert(), chunk)
            count += len(chunk)
            chunk = []
    if chunk:
        conn.execute(target.insert(), chunk)
        count += len(chunk)
    return count


def reset_sequences(conn: sa.Connection) -> None:
    """PostgreSQL: each integer id's sequence continues after the largest id loaded."""
    if conn.dialect.name != "postgresql":
        return
    quote = conn.dialect.identifier_preparer.quote
    for table in _tables():
        columns = list(table.primary_key.columns)
        if len(columns) != 1 or not isinstance(columns[0].type, sa.Integer):
            continue
        column = columns[0].name
        conn.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), "  # noqa: S608  (names from the models)
                f"COALESCE((SELECT MAX({quote(column)}) FROM {quote(table.name)}), 0) + 1, false)"
            ),
            {"table": table.name, "column": column},
        )


def verify_documents(conn: sa.Connection, manifest: dict[str, Any]) -> tuple[int, list[str]]:
    """Every issued document and batch of the manifest is in the database with the same SHA-256."""
    verified, mismatched = 0, []
    for entry in manifest["documents"]:
        table = db.metadata.tables[entry["table"]]
        pdf = conn.execute(sa.select(table.c.pdf).where(table.c.id == entry["id"])).scalar()
        label = f"{entry['table']} {entry['id']} {entry.get('number') or ''}".rstrip()
        if pdf is None or hashlib.sha256(bytes(pdf)).hexdigest() != entry["sha256"]:
            mismatched.append(label)
        elif entry["sha256"] != entry["stored_sha256"]:
            mismatched.append(f"{label} (its PDF did not match its recorded hash already when backed up)")
        else:
            verified += 1
    return verified, mismatched


def restore(path: Path) -> RestoreReport:
    """Load the archive at ``path`` into this app's empty database (see the module docstring)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"no backup at {path}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        try:
            with tarfile.open(path, "r:gz") as tar:
                tar.extractall(folder, filter="data")
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise BackupError(f"{path} is not a readable .tar.gz archive") from exc
        manifest = read_manifest(folder)
        revision = manifest["alembic_revision"]
        with db.engine.connect() as conn:
            refuse_non_empty(conn, revision)
        db.session.remove()
        upgrade(revision=revision)
        report = RestoreReport(revision=revision)
        with db.engine.begin() as conn:
            for entry in manifest["tables"]:
                report.counts[entry["name"]] = _load_table(conn, folder, entry)
                if report.counts[entry["name"]] != entry["rows"]:
                    raise BackupError(
                        f"{entry['name']}: {report.counts[entry['name']]} rows read, manifest says {entry['rows']}"
                    )
            reset_sequences(conn)
        with db.engine.connect() as conn:
            report.verified, report.mismatched = verify_documents(conn, manifest)
    return report
