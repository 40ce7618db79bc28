"""Document numbers stay unique and gapless when several workers issue at once (PostgreSQL:
the counter row is locked by ``INSERT … ON CONFLICT DO UPDATE`` until the issuing commit)."""

import threading

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from ipcase.cases.enums import Channel
from ipcase.cases.models import Case
from ipcase.core.extensions import db
from ipcase.documents import operations as ops
from ipcase.documents.models import IssuedDocument
from tests import factories
from tests.conftest import database_config, drop_database, make_app

WORKERS = 4
EACH = 3


@pytest.fixture
def committed_app(backend, tmp_path_factory):
    if backend != "postgresql":
        pytest.skip("the race needs concurrent writers: PostgreSQL")
    config = database_config(backend, tmp_path_factory, "docs")
    app = make_app(config)
    with app.app_context():
        upgrade()
        factories.seed_base()
        users = factories.base_users()
        for i in range(WORKERS):
            factories.create_case(Channel.adjudication, requester=f"并发请求人{i}", actor=users["examiner"])
        db.session.commit()
        db.session.remove()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    drop_database(config)


def test_concurrent_issue_gives_unique_consecutive_numbers(committed_app):
    barrier = threading.Barrier(WORKERS)
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            with committed_app.test_request_context():
                case = db.session.scalars(sa.select(Case).order_by(Case.id)).all()[index]
                barrier.wait()
                for _ in range(EACH):
                    fields = {"addressee": case.requesters[0].id, "docketed_on": "2026-11-23", "note": ""}
                    ops.issue_document(case, "docketing_notice", fields, actor=None)
                    db.session.commit()
                db.session.remove()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    with committed_app.app_context():
        rows = db.session.execute(sa.select(IssuedDocument.number, IssuedDocument.serial, IssuedDocument.year)).all()
    assert len(rows) == WORKERS * EACH
    assert len({number for number, _, _ in rows}) == len(rows)
    year = rows[0][2]
    assert sorted(serial for _, serial, _ in rows) == list(range(1, WORKERS * EACH + 1))
    assert {number for number, _, _ in rows} == {f"成知立〔{year}〕{n}号" for n in range(1, WORKERS * EACH + 1)}
