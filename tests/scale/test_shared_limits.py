"""Rate limits count in total across gunicorn workers (issue 13): kept in each worker's memory,
"8 per hour" would let 8 attempts through *per worker*. Two workers, as the README's production
section runs them, share their counts in Redis, so the attempt past the limit is refused
whichever worker it reaches: for the per-address limit on access codes, and for the wrong codes
counted per case reference and address."""

from concurrent.futures import ThreadPoolExecutor
from itertools import count

import pytest

from tests.scale.conftest import Server, start_server, stop_server

ACCESS = "/portal/status/access"
#: per address on every access-code POST, and wrong codes per (reference, address)
ADDRESS_LIMIT = 8
REFERENCE_LIMIT = 3
WRONG_CODE = "KHQF-3MTP-9XWD-H4CT"  # no case has codes: every one is wrong
_references = count(1)


@pytest.fixture
def server(tmp_path, clean_redis):
    running = start_server(
        tmp_path,
        {
            "IPCASE_PORTAL_ACCESS_RATE_LIMIT": f"{ADDRESS_LIMIT} per hour",
            "IPCASE_PORTAL_CASE_ADDRESS_RATE_LIMIT": f"{REFERENCE_LIMIT} per hour",
            # only the two limits above refuse here: no growing wait, no reference under attack
            "IPCASE_PORTAL_ACCESS_FREE_FAILURES": "1000",
            "IPCASE_PORTAL_CASE_RATE_LIMIT": "1000 per hour",
            "IPCASE_WTF_CSRF_ENABLED": "false",
        },
    )
    try:
        warm_up(running)
        yield running
    finally:
        stop_server(running)


def warm_up(server: Server) -> None:
    """GET (not limited) in pairs until both workers have answered: both have loaded the app."""
    with ThreadPoolExecutor(4) as pool:
        for _ in range(50):
            assert set(pool.map(server.get, [ACCESS] * 4)) == {200}
            if server.wait_for(lambda s: {pid for pid, _, _ in s.served} == s.workers, timeout=2):
                return
    pytest.fail("one worker never answered")


def attempts(server: Server, references: list[str]) -> list[int]:
    """POST a wrong code for each reference, two at a time (so both workers take some)."""
    before = len(server.served)
    with ThreadPoolExecutor(2) as pool:
        statuses = list(pool.map(lambda ref: server.post(ACCESS, {"reference": ref, "code": WRONG_CODE}), references))
    server.wait_for(lambda s: len(s.served) >= before + len(references), timeout=10)
    return statuses


def reference() -> str:
    return f"成知裁字〔2099〕{next(_references)}号"


def test_limits_count_across_both_workers(server):
    # wrong codes for one reference from this address: the 4th is refused, by whichever worker
    one = reference()
    first = attempts(server, [one] * (REFERENCE_LIMIT + 1))
    assert sorted(first) == [422] * REFERENCE_LIMIT + [429]
    # every attempt counts against this address: the 9th in all is refused, then every one after
    rest = attempts(server, [reference() for _ in range(ADDRESS_LIMIT - REFERENCE_LIMIT - 1)])
    assert rest == [422] * (ADDRESS_LIMIT - REFERENCE_LIMIT - 1)
    refused = attempts(server, [reference() for _ in range(8)])
    assert refused == [429] * 8
    posts = [(pid, status) for pid, status, path in server.served if path == ACCESS and status != 200]
    assert len(posts) == ADDRESS_LIMIT + 8
    # both workers took attempts, and both refused some: the counts are the two workers' total
    assert {pid for pid, _ in posts} == server.workers
    assert {pid for pid, status in posts if status == 429} == server.workers
