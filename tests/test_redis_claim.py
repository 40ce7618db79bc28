"""Each test run holds its Redis database (tests/conftest.py: claim_redis_database): two runs on
one database empty each other's rate-limit counts mid-test, which once failed CI as a limit that
refused too early or never."""

import pytest

import tests.conftest as suite


def _redis():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(suite.REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except Exception:
        pytest.skip("Redis not reachable")
    return redis


def test_a_database_another_run_holds_is_refused_with_its_name(monkeypatch):
    redis = _redis()
    monkeypatch.setattr(suite, "_redis_claim", None)
    other = redis.Redis.from_url(suite.REDIS_URL, single_connection_client=True)
    other.client_setname("ipcase-tests-1")  # another run's claim on the same database
    try:
        with pytest.raises(pytest.fail.Exception, match=r"in use by another test run \(ipcase-tests-1\)"):
            suite.claim_redis_database()
        assert suite._redis_claim is None
    finally:
        other.close()
    # once the other run is gone, the database is free
    suite.claim_redis_database()
    assert suite._redis_claim is not None
    suite._redis_claim.close()


def test_a_run_on_another_database_does_not_count(monkeypatch):
    redis = _redis()
    monkeypatch.setattr(suite, "_redis_claim", None)
    number = int(suite.REDIS_URL.rsplit("/", 1)[1])
    elsewhere = suite.REDIS_URL.rsplit("/", 1)[0] + f"/{(number + 1) % 16}"
    other = redis.Redis.from_url(elsewhere, single_connection_client=True)
    other.client_setname("ipcase-tests-2")
    try:
        suite.claim_redis_database()
        assert suite._redis_claim is not None
        suite._redis_claim.close()
    finally:
        other.close()
