"""Getting in with a case reference and an access code: one uniform answer to every wrong
attempt, rate limits per address, wrong codes slowed down per address and per (reference, address) but
never refusing a case's right code however many were tried for it (in memory and in Redis), and a
party never seeing another's case."""

import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
import redis
import sqlalchemy as sa
from flask import Flask
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from ipcase.cases.enums import Channel
from ipcase.cases.models import TimelineEntry
from ipcase.cases.timeline import render_entry
from ipcase.core.extensions import db, limiter
from ipcase.portal.access import new_code, normalise_code, normalise_reference
from ipcase.portal.operations import issue_access_code
from tests.cases.helpers import commit
from tests.conftest import REDIS_URL, claim_redis_database
from tests.portal.helpers import enter

ERRORS = re.compile(r'<div class="form-errors" role="alert">(.*?)</div>', re.S)


def answer(response) -> tuple[int, str]:
    body = response.get_data(as_text=True)
    return response.status_code, ERRORS.search(body).group(1).strip()


def test_codes_are_long_and_read_back_however_typed():
    code = new_code()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)
    assert normalise_code(code.lower().replace("-", " ")) == code.replace("-", "")
    assert normalise_code("ＡＢＣＤ－３４６９") == "ABCD3469"  # full-width input
    assert len({new_code() for _ in range(200)}) == 200


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("成知裁字[2026]12号", "成知裁字〔2026〕12号"),
        (" 成知裁字【2026】12号 ", "成知裁字〔2026〕12号"),
        ("成知裁字（２０２６）12号", "成知裁字〔2026〕12号"),
    ],
)
def test_references_are_read_back_however_typed(typed, stored):
    assert normalise_reference(typed) == stored


def test_right_reference_and_code_open_the_case(client_as, case_with_codes, text):
    case, codes = case_with_codes
    client = client_as()
    typed = case.number.replace("〔", "[").replace("〕", "]")
    response = enter(client, typed, codes["requester"].lower())
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/portal/status")
    assert case.requesters[0].name in text(client.get("/portal/status"))


def test_one_uniform_error_for_every_wrong_attempt(client_as, case_with_codes, create_case, users):
    case, codes = case_with_codes
    other = create_case(Channel.adjudication, requester="另案请求人有限公司")
    other_code = issue_access_code(other, other.requesters[0], actor=users["examiner"])
    revoked = codes["respondent"]
    issue_access_code(case, case.respondents[0], actor=users["examiner"])
    commit()
    attempts = {
        "unknown reference": ("成知裁字〔2099〕1号", codes["requester"]),
        "wrong code": (case.number, new_code()),
        "another case's code": (case.number, other_code),
        "revoked code": (case.number, revoked),
        "garbage code": (case.number, "'; DROP TABLE cases; --"),
        "case without codes": (create_case(Channel.adjudication, requester="无码公司").number, new_code()),
    }
    answers = {label: answer(enter(client_as(), ref, code)) for label, (ref, code) in attempts.items()}
    assert len(set(answers.values())) == 1, answers
    status, message = next(iter(answers.values()))
    assert status == 422
    assert message == "<p>The case reference and access code do not match. Check both and try again.</p>"


def test_each_party_sees_only_its_own_case(client_as, case_with_codes, create_case, users, text):
    case, codes = case_with_codes
    other = create_case(Channel.adjudication, requester="丙方机械有限公司", respondent="丁方商贸有限公司")
    other_code = issue_access_code(other, other.requesters[0], actor=users["examiner"])
    commit()
    mine = client_as()
    enter(mine, case.number, codes["requester"])
    page = text(mine.get("/portal/status"))
    assert case.number in page and other.number not in page and "丙方机械有限公司" not in page
    theirs = client_as()
    enter(theirs, other.number, other_code)
    page = text(theirs.get("/portal/status"))
    assert other.number in page and case.number not in page
    # the code of one case never opens another, even typed with its reference
    assert enter(client_as(), other.number, codes["requester"]).status_code == 422


def test_a_forged_session_opens_nothing(client_as, case_with_codes, create_case):
    case, codes = case_with_codes
    other = create_case(Channel.adjudication, requester="伪造会话有限公司")
    commit()
    client = client_as()
    enter(client, case.number, codes["requester"])
    with client.session_transaction() as session:
        info = dict(session["portal"])
        session["portal"] = info | {"party": other.requesters[0].id, "case": other.id}
    assert client.get("/portal/status").status_code == 302
    with client.session_transaction() as session:
        session["portal"] = {"party": other.requesters[0].id, "case": other.id, "access": None, "at": "2026-01-01"}
    assert client.get("/portal/status").status_code == 302
    with client.session_transaction() as session:
        session["portal"] = {"party": "x", "case": [], "at": None}
    assert client.get("/portal/status").status_code == 302


def test_the_respondent_sees_its_side(client_as, case_with_codes, text):
    case, codes = case_with_codes
    client = client_as()
    enter(client, case.number, codes["respondent"])
    page = text(client.get("/portal/status"))
    assert f"as {case.respondents[0].name} (Respondent)" in page


# -- rate limits ------------------------------------------------------------------------------------------


@contextmanager
def rate_limits(storage_uri: str = "memory://"):
    """Switch the limiter on for a test (it is off in tests), on the given storage."""
    was_enabled = limiter.enabled
    if not limiter.initialized:
        probe = Flask("ratelimit-probe")
        probe.config.update(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
        limiter.init_app(probe)
    saved = (limiter._storage, limiter._limiter)
    if storage_uri.startswith("redis://"):
        claim_redis_database()
    storage = storage_from_string(storage_uri)
    limiter._storage, limiter._limiter = storage, FixedWindowRateLimiter(storage)
    limiter.enabled = True
    limiter.reset()
    try:
        yield
    finally:
        limiter.reset()
        limiter._storage, limiter._limiter = saved
        limiter.enabled = was_enabled


def _redis_reachable() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


STORAGES = [
    "memory://",
    pytest.param(
        REDIS_URL,
        marks=pytest.mark.skipif(not _redis_reachable(), reason="Redis not reachable"),
    ),
]


@pytest.mark.parametrize("storage", STORAGES, ids=["memory", "redis"])
def test_attempts_are_limited_per_address(app, client_as, case_with_codes, monkeypatch, storage, text):
    case, codes = case_with_codes
    monkeypatch.setitem(app.config, "PORTAL_ACCESS_RATE_LIMIT", "3 per minute")
    with rate_limits(storage):
        client = client_as()
        statuses = [enter(client, f"成知裁字〔2099〕{i}号", new_code()).status_code for i in range(5)]
        assert statuses == [422, 422, 422, 429, 429]
        blocked = enter(client, case.number, codes["requester"])
        assert blocked.status_code == 429  # even the right code, from this address
        assert "Too many attempts" in text(blocked)
        assert '<header class="topbar portal-topbar">' in text(blocked)
        assert client.get("/portal/status/access").status_code == 200  # only POST is limited


def from_address(client, address: str):
    client.environ_base["REMOTE_ADDR"] = address
    return client


@pytest.mark.parametrize("storage", STORAGES, ids=["memory", "redis"])
def test_wrong_codes_for_a_case_from_any_address_never_refuse_its_right_code(
    app, client_as, case_with_codes, monkeypatch, storage
):
    """Case numbers are printed on every document: guessing codes for one must not lock its parties
    out. Wrong codes from many addresses only mark the reference as under attack; staff are told once."""
    case, codes = case_with_codes
    monkeypatch.setitem(app.config, "PORTAL_CASE_RATE_LIMIT", "2 per hour")
    typed = [case.number, case.number.replace("〔", "[").replace("〕", "]"), f" {case.number} "] * 2
    with rate_limits(storage):
        statuses = [
            enter(from_address(client_as(), f"203.0.113.{i + 1}"), reference, new_code()).status_code
            for i, reference in enumerate(typed)
        ]
        assert statuses == [422] * 6
        # the party, from its own address, with its code: in, as the other party from another
        assert enter(from_address(client_as(), "198.51.100.7"), case.number, codes["requester"]).status_code == 302
        assert enter(from_address(client_as(), "198.51.100.8"), typed[1], codes["respondent"]).status_code == 302
        # another case is not affected
        assert enter(from_address(client_as(), "203.0.113.9"), "成知裁字〔2099〕1号", new_code()).status_code == 422
    told = db.session.scalars(
        sa.select(TimelineEntry).where(TimelineEntry.case_id == case.id, TimelineEntry.event == "portal.codes_guessed")
    ).all()
    assert len(told) == 1 and not told[0].is_public and told[0].actor is None
    assert render_entry(told[0]) == (
        "More than 2 wrong access codes were tried for this case on the portal: the addresses"
        " trying are slowed down, the parties' own codes still work"
    )


@pytest.mark.parametrize("storage", STORAGES, ids=["memory", "redis"])
def test_an_address_is_refused_after_a_few_wrong_codes_for_one_reference(
    app, client_as, case_with_codes, monkeypatch, storage
):
    case, codes = case_with_codes
    monkeypatch.setitem(app.config, "PORTAL_CASE_ADDRESS_RATE_LIMIT", "2 per hour")
    monkeypatch.setitem(app.config, "PORTAL_ACCESS_FREE_FAILURES", 100)
    with rate_limits(storage):
        guesser = from_address(client_as(), "203.0.113.5")
        assert [enter(guesser, case.number, new_code()).status_code for _ in range(3)] == [422, 422, 429]
        assert enter(guesser, case.number, codes["requester"]).status_code == 429  # not even checked
        assert enter(guesser, "成知裁字〔2099〕1号", new_code()).status_code == 422  # another reference
        assert enter(from_address(client_as(), "198.51.100.7"), case.number, codes["requester"]).status_code == 302


def test_each_wrong_code_of_an_address_doubles_its_wait(
    app, client_as, case_with_codes, monkeypatch, frozen_now, instant
):
    case, codes = case_with_codes
    monkeypatch.setitem(app.config, "PORTAL_ACCESS_RATE_LIMIT", "1000 per minute")
    monkeypatch.setitem(app.config, "PORTAL_CASE_ADDRESS_RATE_LIMIT", "1000 per hour")
    monkeypatch.setitem(app.config, "PORTAL_ACCESS_FREE_FAILURES", 1)
    monkeypatch.setitem(app.config, "PORTAL_ACCESS_MAX_WAIT", 8)
    later = instant

    def wait(seconds: float) -> None:
        nonlocal later
        later = frozen_now(later + timedelta(seconds=seconds))

    with rate_limits():  # in memory: its windows follow the test's clock
        guesser = from_address(client_as(), "2001:db8:1:2::5")
        neighbour = from_address(client_as(), "2001:db8:1:2::77")  # the same /64: the same host
        assert [enter(guesser, case.number, new_code()).status_code for _ in range(2)] == [422, 422]
        assert enter(guesser, case.number, codes["requester"]).status_code == 429  # waiting: not checked
        waits = []
        for i in range(4):
            refused = 0
            while enter(neighbour, f"成知裁字〔2099〕{i}号", new_code()).status_code == 429:
                refused += 1
                wait(1)
            waits.append(refused)  # then a wrong code was checked, and the next wait is longer
        assert waits == [2, 4, 8, 8]
        wait(8)
        assert enter(guesser, case.number, codes["requester"]).status_code == 302


def test_wrong_codes_for_a_reference_under_attack_cost_their_address_more(app, client_as, case_with_codes, monkeypatch):
    case, codes = case_with_codes
    monkeypatch.setitem(app.config, "PORTAL_CASE_RATE_LIMIT", "2 per hour")
    monkeypatch.setitem(app.config, "PORTAL_ACCESS_FREE_FAILURES", 5)
    with rate_limits():
        for i in range(2):
            assert enter(from_address(client_as(), f"203.0.113.{i + 1}"), case.number, new_code()).status_code == 422
        # the reference is under attack: each wrong code for it counts as four, the wait starts early
        late = from_address(client_as(), "203.0.113.50")
        assert [enter(late, case.number, new_code()).status_code for _ in range(3)] == [422, 422, 429]
        calm = from_address(client_as(), "203.0.113.60")
        assert [enter(calm, f"成知裁字〔2099〕{i}号", new_code()).status_code for i in range(5)] == [422] * 5
        assert enter(from_address(client_as(), "198.51.100.7"), case.number, codes["requester"]).status_code == 302


def test_linking_a_case_to_an_account_is_limited_too(app, client_as, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_ACCESS_RATE_LIMIT", "2 per minute")
    with rate_limits():
        client = client_as("party")
        statuses = [
            client.post(
                "/portal/account/link", data={"reference": "成知裁字〔2099〕1号", "code": new_code()}
            ).status_code
            for _ in range(3)
        ]
        assert statuses == [422, 422, 429]
