"""Scoped counters and case numbers (domain.md §9): 成知裁字〔2026〕1号, one sequence per
(organisation, kind, year), allocated atomically so concurrent requests never share a number."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from ipcase.cases.enums import Channel
from ipcase.cases.models import Case
from ipcase.config import load_config
from ipcase.core.extensions import db
from ipcase.core.numbering import Counter, format_number, next_number
from tests import factories
from tests.conftest import PG_AVAILABLE, database_config, drop_database, make_app

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
#: intake forms and case numbers written for Tuesday 2026-11-24 10:00 China time (receipts typed
#: on the days before it, numbers of 2026): such tests start the clock there
WRITTEN_FOR_NOV_24 = pytest.mark.frozen_at(NOW)


@pytest.fixture
def orgs(app):
    return {code: factories.org(code) for code in ("cdip", "cdexpo", "cdmed", "cqip")}


def test_next_number_starts_at_one_and_increments(orgs):
    org_id = orgs["cdip"].id
    assert [next_number(org_id, "test", 2026) for _ in range(3)] == [1, 2, 3]


def test_each_scope_has_its_own_sequence(orgs):
    cdip, cdmed = orgs["cdip"].id, orgs["cdmed"].id
    assert next_number(cdip, "case:adjudication", 2026) == 1
    assert next_number(cdip, "case:adjudication", 2026) == 2
    assert next_number(cdip, "case:mediation", 2026) == 1  # other kind
    assert next_number(cdip, "case:adjudication", 2025) == 1  # other year
    assert next_number(cdmed, "case:adjudication", 2026) == 1  # other organisation
    assert next_number(cdip, "case:adjudication", 2026) == 3
    rows = db.session.scalars(sa.select(Counter).where(Counter.organisation_id == cdip)).all()
    assert {(c.kind, c.year, c.value) for c in rows} == {
        ("case:adjudication", 2026, 3),
        ("case:mediation", 2026, 1),
        ("case:adjudication", 2025, 1),
    }


def test_rolled_back_allocation_leaves_no_gap(orgs):
    org_id = orgs["cdip"].id
    assert next_number(org_id, "test", 2026) == 1
    db.session.commit()
    assert next_number(org_id, "test", 2026) == 2
    db.session.rollback()
    assert next_number(org_id, "test", 2026) == 2


def test_format_number():
    template = "{org_abbr}{type_code}字〔{year}〕{seq}号"
    assert format_number(template, org_abbr="成知", type_code="裁", year=2026, seq=7) == "成知裁字〔2026〕7号"


@WRITTEN_FOR_NOV_24
def test_open_case_numbers(app, create_case, frozen_now):
    received = NOW - timedelta(days=2)
    first = create_case(Channel.adjudication, received_at=received)
    second = create_case(Channel.adjudication, received_at=received)
    mediation = create_case(Channel.mediation, received_at=received)
    injunction = create_case(Channel.injunction, received_at=received)
    station = create_case(Channel.station, organisation="cdexpo", received_at=received)
    medcentre = create_case(Channel.mediation, organisation="cdmed", received_at=received)
    assert first.number == "成知裁字〔2026〕1号"
    assert second.number == "成知裁字〔2026〕2号"
    assert mediation.number == "成知调字〔2026〕1号"
    assert injunction.number == "成知禁字〔2026〕1号"
    assert station.number == "成知展字〔2026〕1号"
    assert medcentre.number == "成仲调调字〔2026〕1号"
    numbered = [e for e in first.timeline if e.event == "case.numbered"]
    assert [e.data["number"] for e in numbered] == [first.number]


@pytest.mark.parametrize(
    ("received_at", "year"),
    [
        (datetime(2025, 12, 31, 15, 59, tzinfo=UTC), 2025),  # 23:59 in Shanghai
        (datetime(2025, 12, 31, 16, 0, tzinfo=UTC), 2026),  # 00:00 on 1 January in Shanghai
        (datetime(2026, 1, 1, 3, 0, tzinfo=UTC), 2026),
    ],
)
def test_case_year_is_the_shanghai_year_of_receipt(app, create_case, frozen_now, received_at, year):
    case = create_case(Channel.adjudication, received_at=received_at)
    assert case.number == f"成知裁字〔{year}〕1号"


def test_year_boundary_keeps_separate_sequences(app, create_case, frozen_now):
    old = create_case(received_at=datetime(2025, 12, 31, 15, 0, tzinfo=UTC))
    new = create_case(received_at=datetime(2025, 12, 31, 17, 0, tzinfo=UTC))
    older = create_case(received_at=datetime(2025, 6, 1, tzinfo=UTC))
    assert (old.number, new.number, older.number) == (
        "成知裁字〔2025〕1号",
        "成知裁字〔2026〕1号",
        "成知裁字〔2025〕2号",
    )


def _loaded_config(tmp_path, **settings):
    probe = Flask("probe", instance_path=str(tmp_path), instance_relative_config=True)
    load_config(probe, {"TESTING": True, **settings})
    return probe.config


@WRITTEN_FOR_NOV_24
def test_case_number_use_di_inserts_di(app, create_case, frozen_now, monkeypatch, tmp_path):
    plain = _loaded_config(tmp_path)
    assert "第" not in plain["CASE_NUMBER_FORMAT"]
    config = _loaded_config(tmp_path, CASE_NUMBER_USE_DI=True)
    assert config["CASE_NUMBER_FORMAT"] == "{org_abbr}{type_code}字〔{year}〕第{seq}号"
    monkeypatch.setitem(app.config, "CASE_NUMBER_FORMAT", config["CASE_NUMBER_FORMAT"])
    case = create_case(received_at=NOW - timedelta(days=1))
    assert case.number == "成知裁字〔2026〕第1号"


@WRITTEN_FOR_NOV_24
def test_offices_sharing_a_prefix_never_share_a_number(app, create_case, frozen_now):
    at_office = create_case(Channel.adjudication, organisation="cdip", received_at=NOW - timedelta(days=1))
    at_station = create_case(Channel.adjudication, organisation="cdexpo", received_at=NOW - timedelta(days=1))
    assert at_office.number != at_station.number


# -- concurrency (PostgreSQL: real row locks between separate connections) ---------------------


@pytest.fixture
def pg_app(tmp_path_factory):
    """A migrated, seeded app on its own empty PostgreSQL schema; threads commit for real here."""
    if not PG_AVAILABLE:
        pytest.skip("PostgreSQL not reachable")

    config = database_config("postgresql", tmp_path_factory, "numbering")
    application = make_app(config, SQLALCHEMY_ENGINE_OPTIONS={**config["SQLALCHEMY_ENGINE_OPTIONS"], "pool_size": 10})
    try:
        with application.app_context():
            upgrade()
            factories.seed_base()
            db.session.commit()
            db.session.remove()
        yield application
    finally:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()
        drop_database(config)


def _run_threads(count, target):
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def runner(index):
        try:
            barrier.wait(timeout=30)
            target(index)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    assert not errors, errors


@pytest.mark.postgresql
def test_concurrent_next_number_hands_out_each_number_once(pg_app):
    with pg_app.app_context():
        org_id = factories.org("cdip").id
        db.session.remove()
    results: list[int] = []
    lock = threading.Lock()

    def allocate(_index):
        with pg_app.app_context():
            try:
                for _ in range(10):
                    n = next_number(org_id, "race", 2026)
                    db.session.commit()
                    with lock:
                        results.append(n)
            finally:
                db.session.remove()

    _run_threads(8, allocate)
    assert sorted(results) == list(range(1, 81))
    with pg_app.app_context():
        assert db.session.scalar(sa.select(Counter.value).where(Counter.kind == "race")) == 80
        db.session.remove()


@pytest.mark.postgresql
def test_concurrent_open_case_numbers_are_unique(pg_app):
    def open_cases(index):
        with pg_app.app_context():
            try:
                for i in range(3):
                    factories.create_case(Channel.adjudication, requester=f"请求人{index}-{i}")
                    db.session.commit()
            finally:
                db.session.remove()

    _run_threads(8, open_cases)
    with pg_app.app_context():
        numbers = db.session.scalars(sa.select(Case.number)).all()
        db.session.remove()
    assert len(numbers) == 24
    assert len(set(numbers)) == 24
    seqs = sorted(int(n.split("〕")[1].removesuffix("号")) for n in numbers)
    assert seqs == list(range(1, 25))
