"""Document batches in the background (issue 15): the request stores the batch and its numbers,
the queue's tasks issue it in chunks (inline in tests: immediate mode) and combine it; a chunk run
twice issues nothing twice; the progress page and its JSON; a failure fails the batch with its
error; on PostgreSQL with Redis two real consumer workers complete one batch once."""

import io
import time

import pytest
import redis
import sqlalchemy as sa
from flask_migrate import upgrade
from pypdf import PdfReader

from ipcase.cases.enums import Channel
from ipcase.cases.models import Case
from ipcase.core.extensions import db
from ipcase.documents import operations as ops
from ipcase.documents import render
from ipcase.documents.models import BatchStatus, DocumentBatch, IssuedDocument
from ipcase.tasks import batches
from ipcase.tasks.queue import huey
from ipcase.tasks.worker import start_consumer
from tests import factories
from tests.cases.helpers import commit
from tests.conftest import REDIS_URL, claim_redis_database, database_config, drop_database, make_app

HEARING = {"hearing_at": "2026-12-01T09:30", "place": "第一审理庭", "is_online": False, "is_public": True, "bring": ""}


def hearing_cases(create_case, users, n: int, prefix: str = "批量请求人") -> list:
    cases = []
    for i in range(n):
        case = create_case(Channel.adjudication, requester=f"{prefix}{i}", actor=users["examiner"])
        case.state = "evidence"
        cases.append(case)
    commit()
    return cases


def documents_of(batch: DocumentBatch) -> list[IssuedDocument]:
    return db.session.scalars(sa.select(IssuedDocument).where(IssuedDocument.batch_id == batch.id)).all()


def test_a_batch_is_stored_with_its_numbers_then_issued_in_chunks(app, create_case, users, monkeypatch):
    monkeypatch.setattr(batches, "CHUNK_SIZE", 2)
    cases = hearing_cases(create_case, users, 5)
    batch = ops.issue_batch(cases, "hearing_notice", HEARING, actor=users["examiner"])
    commit()
    assert batch.status == BatchStatus.queued and batch.done == 0 and batch.count == 5
    assert batch.case_ids == [c.id for c in cases] and len(set(batch.serials)) == 5
    assert documents_of(batch) == [] and batch.pdf is None  # nothing rendered in the request
    ops.start_batch(batch)  # three chunks and the combine, inline (immediate mode)
    db.session.refresh(batch)
    assert batch.status == BatchStatus.complete and batch.done == 5 and batch.completed_at is not None
    documents = documents_of(batch)
    assert sorted(d.case_id for d in documents) == sorted(c.id for c in cases)
    assert sorted(d.serial for d in documents) == sorted(batch.serials)  # the numbers taken up front
    assert len({d.number for d in documents}) == 5
    combined = PdfReader(io.BytesIO(batch.pdf))
    assert len(combined.pages) == sum(len(PdfReader(io.BytesIO(d.pdf)).pages) for d in documents)


def test_a_chunk_run_twice_issues_nothing_twice(app, create_case, users):
    cases = hearing_cases(create_case, users, 3)
    batch = ops.issue_batch(cases, "hearing_notice", HEARING, actor=None)
    commit()
    ops.start_batch(batch)
    db.session.refresh(batch)
    before = {d.id for d in documents_of(batch)}
    sha = batch.sha256
    # the same chunk delivered again (a retry after its commit, a second delivery)
    assert batches.issue_chunk.call_local(batch.id, batch.case_ids) == 3
    batches.combine.call_local(batch.id)
    db.session.refresh(batch)
    assert {d.id for d in documents_of(batch)} == before
    assert batch.done == 3 and batch.sha256 == sha and batch.status == BatchStatus.complete


def test_a_partly_issued_chunk_issues_only_the_rest(app, create_case, users):
    cases = hearing_cases(create_case, users, 3)
    batch = ops.issue_batch(cases, "hearing_notice", HEARING, actor=None)
    commit()
    assert ops.issue_batch_chunk(batch.id, batch.case_ids[:1]) == 1
    commit()
    assert ops.issue_batch_chunk(batch.id, batch.case_ids) == 3  # two more, the first skipped
    commit()
    assert len(documents_of(batch)) == 3
    ops.complete_batch(batch.id)
    commit()
    assert batch.status == BatchStatus.complete


def test_progress_page_and_json(app, create_case, users, client_as):
    cases = hearing_cases(create_case, users, 2)
    batch = ops.issue_batch(cases, "hearing_notice", HEARING, actor=users["examiner"])
    commit()
    client = client_as("examiner")
    status = client.get(f"/documents/batches/{batch.id}/status")
    assert status.status_code == 200 and status.headers["Cache-Control"] == "no-store"
    assert status.json | {"status_label": None} == {
        "id": batch.id,
        "status": "queued",
        "status_label": None,
        "done": 0,
        "total": 2,
        "error": None,
    }
    page = client.get(f"/documents/batches/{batch.id}").get_data(as_text=True)
    assert '<progress id="batch-bar" max="2" value="0">' in page
    assert "js/batch_progress.js" in page and 'http-equiv="refresh"' in page  # JS polls; without it, a refresh
    assert f"/documents/batches/{batch.id}/pdf" not in page
    assert client.get(f"/documents/batches/{batch.id}/pdf").status_code == 404  # not combined yet
    ops.start_batch(batch)
    assert client.get(f"/documents/batches/{batch.id}/status").json["status"] == "complete"
    page = client.get(f"/documents/batches/{batch.id}").get_data(as_text=True)
    assert f"/documents/batches/{batch.id}/pdf" in page and "batch_progress.js" not in page
    for d in documents_of(batch):
        assert d.number in page
    assert client.get(f"/documents/batches/{batch.id}/pdf").headers["Content-Type"] == "application/pdf"
    # the office's staff only: another office's examiner 404, an administrator 403
    assert client_as("cqexaminer").get(f"/documents/batches/{batch.id}/status").status_code == 404
    assert client_as("admin").get(f"/documents/batches/{batch.id}/status").status_code == 403


def test_a_failure_marks_the_batch_failed_with_its_error(app, create_case, users, client_as, monkeypatch):
    cases = hearing_cases(create_case, users, 2)

    def broken(_html):
        raise RuntimeError("the renderer is down")

    monkeypatch.setattr(render, "html_to_pdf", broken)
    client = client_as("examiner")
    response = client.post(
        "/documents/batch/hearing_notice",
        data={
            "batch-cases": [str(c.id) for c in cases],
            "parts-hearing_at": "2026-12-01T09:30",
            "parts-place": "第一审理庭",
            "parts-is_public": "y",
        },
    )
    assert response.status_code == 302
    batch = db.session.scalars(sa.select(DocumentBatch).order_by(DocumentBatch.id.desc())).first()
    db.session.refresh(batch)
    assert batch.status == BatchStatus.failed and "the renderer is down" in batch.error
    assert documents_of(batch) == []  # the chunk's transaction was rolled back whole
    assert client.get(f"/documents/batches/{batch.id}/status").json["error"] == batch.error
    page = client.get(f"/documents/batches/{batch.id}").get_data(as_text=True)
    assert "the renderer is down" in page and "batch_progress.js" not in page
    # a failed batch issues nothing more, even when a chunk comes again
    monkeypatch.undo()
    assert ops.issue_batch_chunk(batch.id, batch.case_ids) == -1


def test_no_batch_starter_is_refused_loudly(monkeypatch):
    monkeypatch.setattr(ops, "_batch_starters", [])
    with pytest.raises(RuntimeError, match="batch starter"):
        ops.start_batch(DocumentBatch(id=1))


# -- two real consumers on PostgreSQL and Redis ---------------------------------------------------

REAL_CASES = 12


def redis_reachable() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def queued_app(backend, tmp_path_factory):
    """A committed PostgreSQL database with REAL_CASES hearing cases, its queue on Redis."""
    if backend != "postgresql":
        pytest.skip("two workers writing at once: PostgreSQL")
    if not redis_reachable():
        pytest.skip("Redis not reachable")
    claim_redis_database()
    config = database_config(backend, tmp_path_factory, "batches")
    app = make_app(config, QUEUE_IMMEDIATE=False, QUEUE_URL=REDIS_URL)
    with app.app_context():
        upgrade()
        factories.seed_base()
        users = factories.base_users()
        for i in range(REAL_CASES):
            case = factories.create_case(Channel.adjudication, requester=f"队列请求人{i}", actor=users["examiner"])
            case.state = "evidence"
        db.session.commit()
        huey.flush()
        db.session.remove()
    yield app
    with app.app_context():
        huey.flush()
        db.session.remove()
        db.engine.dispose()
    drop_database(config)


def test_two_consumer_workers_complete_one_batch_once(queued_app, monkeypatch):
    monkeypatch.setattr(batches, "CHUNK_SIZE", 3)
    with queued_app.app_context():
        cases = db.session.scalars(sa.select(Case).order_by(Case.id)).all()
        batch = ops.issue_batch(cases, "hearing_notice", HEARING, actor=None)
        db.session.commit()
        batch_id = batch.id
        ops.start_batch(batch)  # four chunks on the Redis queue
        # a chunk delivered twice (the queue's at-least-once): it must not issue anything twice
        huey.enqueue(batches.issue_chunk.s(batch_id, batch.case_ids[:3]))
        db.session.remove()
    consumer = start_consumer(queued_app, workers=2)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with queued_app.app_context():
                status = db.session.scalar(sa.select(DocumentBatch.status).where(DocumentBatch.id == batch_id))
                db.session.remove()
            if status != BatchStatus.queued:
                break
            time.sleep(0.3)
        time.sleep(1)  # the duplicate chunk, if it came last, has finished
    finally:
        consumer.stop(graceful=True)
    with queued_app.app_context():
        batch = db.session.get(DocumentBatch, batch_id)
        assert batch.status == BatchStatus.complete, batch.error
        rows = db.session.execute(
            sa.select(IssuedDocument.case_id, IssuedDocument.number).where(IssuedDocument.batch_id == batch_id)
        ).all()
        assert len(rows) == REAL_CASES == batch.done
        assert len({case_id for case_id, _ in rows}) == REAL_CASES
        assert len({number for _, number in rows}) == REAL_CASES  # no duplicate number
        assert len(PdfReader(io.BytesIO(batch.pdf)).pages) >= REAL_CASES
