"""Backup and restore (issue 15): a case with issued documents, a batch and evidence files is
backed up with ``flask ipcase backup`` and restored with ``flask ipcase restore`` into an empty
instance, on the same backend and across SQLite and PostgreSQL: every table's row count and every
issued document's hash are equal. A database holding rows is refused."""

import hashlib
import json
import tarfile
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from ipcase.auth.models import User
from ipcase.cases.enums import Channel
from ipcase.cases.evidence import add_evidence
from ipcase.core.extensions import db
from ipcase.deadlines.service import sync_calendar
from ipcase.documents import operations as docs
from ipcase.documents.models import DocumentBatch, IssuedDocument
from ipcase.ops import backup as ops_backup
from tests import factories
from tests.conftest import PG_AVAILABLE, database_config, drop_database, make_app

pytestmark = pytest.mark.frozen_at(datetime(2026, 11, 24, 2, 0, tzinfo=UTC))

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
needs_pg = pytest.mark.skipif(not PG_AVAILABLE, reason="PostgreSQL not reachable")
PAIRS = [
    pytest.param("sqlite", "sqlite", id="sqlite-sqlite"),
    pytest.param("sqlite", "postgresql", id="sqlite-postgresql", marks=needs_pg),
    pytest.param("postgresql", "sqlite", id="postgresql-sqlite", marks=needs_pg),
    pytest.param("postgresql", "postgresql", id="postgresql-postgresql", marks=needs_pg),
]


def docketing(case):
    return {"addressee": case.requesters[0].id, "docketed_on": "2026-11-23", "note": ""}


def seed_instance(app):
    """Base data, the calendar, two cases; on the first two documents (one corrected) and
    evidence with a file."""
    with app.app_context():
        upgrade()
        factories.seed_base()
        sync_calendar()
        users = factories.base_users()
        case = factories.create_case(Channel.adjudication, actor=users["examiner"])
        other = factories.create_case(Channel.adjudication, actor=users["examiner"])
        first = docs.issue_document(case, "docketing_notice", docketing(case), actor=users["examiner"])
        docs.issue_document(case, "docketing_notice", docketing(case), actor=users["examiner"], corrects=first)
        docs.issue_document(other, "docketing_notice", docketing(other), actor=users["examiner"])
        add_evidence(case, {"title": "证据一"}, actor=users["examiner"], upload=("photo.png", PNG))
        add_evidence(case, {"title": "证据二 (no file)"}, actor=users["examiner"])
        db.session.commit()
        db.session.remove()


def snapshot(app):
    """Every table's row count and every document's and evidence file's hash."""
    with app.app_context(), db.engine.connect() as conn:
        counts = {
            t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar() for t in db.metadata.sorted_tables
        }
        hashes = {}
        for table in ("issued_documents", "document_batches", "evidence_items"):
            t = db.metadata.tables[table]
            column = t.c.pdf if "pdf" in t.c else t.c.data
            for row_id, content in conn.execute(sa.select(t.c.id, column)):
                hashes[(table, row_id)] = hashlib.sha256(content).hexdigest() if content is not None else None
        db.session.remove()
    return counts, hashes


def run(app, *args):
    return app.test_cli_runner().invoke(args=["ipcase", *args])


@pytest.fixture
def instances(request, tmp_path_factory):
    """``make(backend)`` builds an app on a new empty database; all are dropped afterwards."""
    made = []

    def make(backend):
        config = database_config(backend, tmp_path_factory, "bk")
        made.append((config, app := make_app(config)))
        return app

    yield make
    for config, app in made:
        with app.app_context():
            db.session.remove()
            for engine in db.engines.values():
                engine.dispose()
        drop_database(config)


@pytest.mark.parametrize(("source_backend", "target_backend"), PAIRS)
def test_backup_restores_into_an_empty_instance(instances, tmp_path, source_backend, target_backend):
    source = instances(source_backend)
    seed_instance(source)
    archive = tmp_path / "ipcase.tar.gz"

    result = run(source, "backup", str(archive))
    assert result.exit_code == 0, result.output
    assert "issued documents" in result.output

    target = instances(target_backend)
    result = run(target, "restore", str(archive))
    assert result.exit_code == 0, result.output
    assert "3 issued documents verified, 0 mismatched" in result.output

    before, after = snapshot(source), snapshot(target)
    assert after[0] == before[0]
    assert after[1] == before[1]
    assert before[0]["issued_documents"] == 3 and before[0]["evidence_items"] == 2

    # the restored instance goes on: new ids follow the restored ones (PostgreSQL's sequences)
    with target.app_context():
        users = factories.base_users()
        case = factories.create_case(Channel.adjudication, actor=users["examiner"])
        docs.issue_document(case, "docketing_notice", docketing(case), actor=users["examiner"])
        examiner = users["examiner"]
        user = User(username="new", display_name="New", role=examiner.role, organisation=examiner.organisation)
        user.set_password(factories.PASSWORD)
        db.session.add(user)
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(IssuedDocument)) == 4
        db.session.remove()


def test_the_archive_holds_a_manifest_with_counts_and_hashes(instances, tmp_path):
    source = instances("sqlite")
    seed_instance(source)
    with source.app_context():
        batch_pdf = b"%PDF-1.4 batch"
        db.session.add(
            DocumentBatch(
                kind="docketing_notice",
                count=0,
                pdf=batch_pdf,
                sha256=hashlib.sha256(batch_pdf).hexdigest(),
                size=len(batch_pdf),
                issued_at=datetime(2026, 11, 24, 2, 0, tzinfo=UTC),
            )
        )
        db.session.commit()
        documents = {d.id: d.sha256 for d in db.session.scalars(sa.select(IssuedDocument))}
        db.session.remove()
    archive = tmp_path / "b.tar.gz"
    assert run(source, "backup", str(archive)).exit_code == 0
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = tar.getnames()
    assert manifest["alembic_revision"]
    tables = {t["name"]: t for t in manifest["tables"]}
    assert set(tables) == {t.name for t in ops_backup._tables()}
    assert [t["name"] for t in manifest["tables"]].index("cases") < [t["name"] for t in manifest["tables"]].index(
        "issued_documents"
    )
    assert all(t["file"] in names for t in manifest["tables"])
    issued = {e["id"]: e["sha256"] for e in manifest["documents"] if e["table"] == "issued_documents"}
    assert issued == documents
    assert [e["table"] for e in manifest["documents"]].count("document_batches") == 1


def test_a_batch_not_issued_yet_is_backed_up_and_restored_without_a_hash(instances, tmp_path):
    """A batch the queue has not issued (queued, or failed) has no PDF: it travels, unverified."""
    source = instances("sqlite")
    seed_instance(source)
    with source.app_context():
        db.session.add(
            DocumentBatch(kind="docketing_notice", count=2, issued_at=datetime(2026, 11, 24, 2, 0, tzinfo=UTC))
        )
        db.session.commit()
        db.session.remove()
    archive = tmp_path / "queued.tar.gz"
    assert run(source, "backup", str(archive)).exit_code == 0
    target = instances("sqlite")
    result = run(target, "restore", str(archive))
    assert result.exit_code == 0, result.output
    assert snapshot(target) == snapshot(source)


def test_restore_refuses_a_database_that_holds_rows(instances, tmp_path):
    source = instances("sqlite")
    seed_instance(source)
    archive = tmp_path / "b.tar.gz"
    assert run(source, "backup", str(archive)).exit_code == 0
    result = run(source, "restore", str(archive))
    assert result.exit_code == 1
    assert "not empty" in result.output


def test_restore_reports_a_document_whose_hash_differs(instances, tmp_path):
    source = instances("sqlite")
    seed_instance(source)
    archive = tmp_path / "b.tar.gz"
    assert run(source, "backup", str(archive)).exit_code == 0
    # tamper with one stored PDF inside the archive
    unpacked = tmp_path / "unpacked"
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="data")
    manifest = json.loads((unpacked / "manifest.json").read_text())
    entry = next(t for t in manifest["tables"] if t["name"] == "issued_documents")
    lines = (unpacked / entry["file"]).read_text().splitlines()
    row = json.loads(lines[0])
    row["pdf"] = ops_backup.encode(b"%PDF-forged")
    lines[0] = json.dumps(row)
    (unpacked / entry["file"]).write_text("\n".join(lines) + "\n")
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(tampered, "w:gz") as tar:
        for path in sorted(unpacked.rglob("*")):
            if path.is_file():
                tar.add(path, arcname=str(path.relative_to(unpacked)))
    result = run(instances("sqlite"), "restore", str(tampered))
    assert result.exit_code == 1
    assert "1 mismatched" in result.output
    assert "issued_documents" in result.output


def test_restore_refuses_what_is_not_a_backup(instances, tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not a tar")
    result = run(instances("sqlite"), "restore", str(junk))
    assert result.exit_code == 1
    assert "not a readable" in result.output
