"""The demo data and the benchmark volume, each on its own empty database: the shared ``app``
fixture already holds accounts with the demo user names."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from ipcase.auth.models import Role, User
from ipcase.cases.enums import CaseSource, Channel, PartyKind, PartyRole, RightType
from ipcase.cases.models import Case, IPRight, Party
from ipcase.cases.operations import open_case
from ipcase.core import clock
from ipcase.core.extensions import db
from ipcase.core.identifiers import parse_patent_number
from ipcase.deadlines.models import Deadline
from ipcase.demo.large import seed_large
from ipcase.demo.seed import DEMO_ACCOUNTS, seed_demo
from ipcase.organisations.models import Organisation
from tests.conftest import database_config, drop_database, make_app


def _fresh_app(backend: str, tmp_path_factory: pytest.TempPathFactory, label: str) -> Iterator[Flask]:
    config = database_config(backend, tmp_path_factory, label)
    app = make_app(config)
    with app.app_context():
        upgrade()
        seed_demo()
        db.session.commit()
        db.session.remove()
    yield app
    with app.app_context():
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()
    drop_database(config)


@pytest.fixture(scope="module")
def demo_app(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """A migrated database holding the demo data and nothing else; tests must not change it."""
    yield from _fresh_app(backend, tmp_path_factory, "demo")


@pytest.fixture
def scratch_app(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """Like ``demo_app``, for a test that adds data."""
    yield from _fresh_app(backend, tmp_path_factory, "demolarge")


@pytest.fixture
def demo_db(demo_app: Flask) -> Iterator[None]:
    with demo_app.app_context():
        yield
        db.session.remove()


def _case_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Case)) or 0


def test_demo_has_about_thirty_cases_in_every_channel(demo_db: None) -> None:
    cases = list(db.session.scalars(sa.select(Case)))
    assert 25 <= len(cases) <= 40
    assert {c.channel for c in cases} == set(Channel)
    assert all(c.number for c in cases)
    assert len({c.number for c in cases}) == len(cases)
    now = clock.now()
    assert all(now - timedelta(days=130) < c.received_at <= now for c in cases)
    for case in cases:
        defn = case.channel_def
        assert case.state in {s.value for s in defn.states}
        assert case.is_closed == (defn.states(case.state) in defn.closed_states), case.number
        assert case.requesters and case.respondents


def test_demo_covers_the_realistic_variety(demo_db: None) -> None:
    rights = list(db.session.scalars(sa.select(IPRight)))
    assert {r.right_type for r in rights} >= {RightType.patent, RightType.trademark, RightType.copyright}
    assert db.session.scalar(sa.select(sa.func.count()).where(Party.has_domestic_domicile.is_(False))) >= 2
    assert db.session.scalar(sa.select(sa.func.count()).where(Party.kind == PartyKind.natural_person)) >= 1
    panels = [c for c in db.session.scalars(sa.select(Case)) if len(c.assignees()) >= 4]
    assert len(panels) >= 2
    party = db.session.scalars(sa.select(User).where(User.username == "party")).one()
    linked = db.session.scalars(
        sa.select(Party).where(Party.user_id == party.id, Party.role == PartyRole.requester)
    ).all()
    assert 2 <= len(linked) <= 3


def test_demo_deadlines_match_the_case_states(demo_db: None) -> None:
    for deadline in db.session.scalars(sa.select(Deadline)):
        if deadline.case.is_closed and deadline.is_open:
            # only periods the closing step started run on (publication, a party's lawsuit window)
            assert deadline.started_at >= deadline.case.closed_at, (deadline.case.number, deadline.rule_id)
    rules = set(db.session.scalars(sa.select(Deadline.rule_id).where(Deadline.state == "running")))
    assert {"adj.time_limit", "adj.defence_abroad", "inj.decision", "sta.forward"} <= rules


def test_every_demo_patent_number_is_valid(demo_db: None) -> None:
    numbers = db.session.scalars(sa.select(IPRight.number).where(IPRight.right_type == RightType.patent)).all()
    assert numbers
    for number in numbers:
        assert parse_patent_number(number).canonical == number


def test_seeding_twice_adds_nothing(demo_db: None) -> None:
    before = (_case_count(), db.session.scalar(sa.select(sa.func.count()).select_from(User)))
    assert seed_demo() == 0
    db.session.flush()
    assert (_case_count(), db.session.scalar(sa.select(sa.func.count()).select_from(User))) == before


def test_cli_prints_every_demo_account(demo_app: Flask) -> None:
    result = demo_app.test_cli_runner().invoke(args=["ipcase", "seed-demo"])
    assert result.exit_code == 0, result.output
    assert "already present" in result.output
    for username, password, *_ in DEMO_ACCOUNTS:
        assert username in result.output
        assert password in result.output


@pytest.mark.parametrize(("username", "password"), [(a[0], a[1]) for a in DEMO_ACCOUNTS])
def test_every_demo_account_can_log_in(demo_app: Flask, username: str, password: str) -> None:
    response = demo_app.test_client().post("/login", data={"username": username, "password": password})
    assert response.status_code == 302


def test_demo_accounts_cover_every_role() -> None:
    assert {role for _, _, role, _, _ in DEMO_ACCOUNTS} == set(Role)
    assert sum(role == Role.examiner for _, _, role, _, _ in DEMO_ACCOUNTS) == 2


def test_seed_large_adds_uniquely_numbered_cases_and_keeps_numbering_going(scratch_app: Flask) -> None:
    with scratch_app.app_context():
        before = _case_count()
        seconds = seed_large(200, chunk_size=70)
        assert seconds > 0
        assert _case_count() == before + 200
        numbers = db.session.scalars(sa.select(Case.number)).all()
        assert len(set(numbers)) == len(numbers)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Party)) >= 2 * (before + 200)

        # a real intake afterwards, in the busiest scope the bulk insert used, gets a fresh number
        newest = db.session.scalars(sa.select(Case).order_by(Case.id.desc()).limit(1)).one()
        admin = db.session.scalars(sa.select(User).where(User.username == "admin")).one()
        case = open_case(
            channel=newest.channel,
            organisation=db.session.get(Organisation, newest.organisation_id),
            actor=admin,
            source=CaseSource.walk_in,
            title="“一种折叠椅”实用新型专利侵权纠纷",
            received_at=newest.received_at,
            # whichever channel it is, these cover its required data
            channel_data={
                "mediation_type": "administrative",
                "urgency_facts": "展会明日闭幕",
                "requested_measures": "撤展",
            },
            parties=[
                {"role": PartyRole.requester, "kind": PartyKind.legal_person, "name": "成都测试科技有限公司"},
                {"role": PartyRole.respondent, "kind": PartyKind.legal_person, "name": "四川测试贸易有限公司"},
            ],
            rights=[
                {"right_type": RightType.patent, "number": "ZL201710601862.3", "title": "一种折叠椅", "holder": "x"}
            ],
        )
        db.session.commit()
        assert case.number not in numbers
        assert case.number.startswith(newest.number.split("〔")[0])
        db.session.remove()
