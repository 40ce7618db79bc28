"""No server error on any input (issue 13): every POST route of the app, for every role that
reaches it, gets hostile values — an empty form, every field blank, whitespace, ideographic
space, huge and negative numbers, unknown choices, non-digit ids, newlines and 10 000-character
strings — and then a valid form with one bad field at a time. No answer may be a 5xx (or an
exception), and an answer refusing the input (4xx) must leave the database as it was.

The matrix case of ``tests/cases/test_permissions.py`` is the ground: its objects fill the URLs,
its matrix (and the deadlines' own) says which roles reach a route. Routes every signed-in role
reaches alike are fuzzed in full for the anonymous visitor, a portal visitor inside the case, a
party account and one staff member; the other roles get the empty and the whitespace form."""

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from flask import url_for

from ipcase.cases.enums import Channel
from ipcase.cases.models import Case
from ipcase.core import clock
from ipcase.core.extensions import db
from ipcase.deadlines import calendar_admin
from ipcase.deadlines import operations as deadline_ops
from ipcase.deadlines.models import Deadline, ExclusionKind, Notification
from ipcase.deadlines.notify import notify_case_staff
from ipcase.portal.operations import issue_access_code
from tests import factories
from tests.cases.helpers import commit, make_client_as
from tests.cases.test_permissions import MATRIX, POOL_EDITORS, PUBLIC, matrix_case  # noqa: F401 (fixture)
from tests.conftest import make_app
from tests.deadlines.test_views import DEADLINE_MATRIX
from tests.fuzz import walker

#: one worker under pytest-xdist: the walk of every route is built once per backend and shared
pytestmark = pytest.mark.xdist_group("fuzz_forms")

#: POST routes the walker leaves out, each with its reason (none today: every one is walked)
EXCLUDED: dict[str, str] = {}

#: cases whose 5xx lies in a file another helper owns: reproduction in /tmp/notes/fuzz_findings.md
KNOWN_FAILURES: dict[str, str] = {}

#: tables a refused request to the route changes by design: a refused sign-in counts the failure
#: on the account (``users.failed_logins``), or the lock would never come
ALLOWED_CHANGES: dict[str, set[str]] = {"auth.login": {"users"}}

#: a visitor who entered the matrix case's reference and access code on the portal
PORTAL_VISITOR = "portal_visitor"
#: who gets the valid-form-with-one-bad-field pass, the first that reaches the route
ONE_FIELD_ORDER = [PORTAL_VISITOR, "director", "admin", "examiner", "party", "anonymous"]
#: representatives of the signed-in roles on routes they all reach alike
ALIKE_FULL = {"anonymous", PORTAL_VISITOR, "party"}
#: every kind for the first role reaching a route; the others' forms differ by role, not by value,
#: so they get one value of each family (nothing, blank, number, line break)
OTHER_ROLE_KINDS = ("empty", "ideographic", "newline")
#: the remaining roles on routes all reach alike
ALIKE_SHORT_KINDS = ("whitespace",)
#: about this many one-bad-field requests per route (at least one per field)
ONE_FIELD_CAP = 12

#: routes the matrices show as 404 for the roles that may use them, because the matrix case has
#: no object there: linking a main case needs an injunction (``ground`` gives one), removing a
#: declaration or an unavailability names the item in the form
ROLE_OVERRIDES = {
    "cases.link_main_case": ["director", "examiner"],
    "pools.remove_declaration": sorted(POOL_EDITORS),
    "pools.remove_unavailability": sorted(POOL_EDITORS),
}


def _post_endpoints(app: Any) -> list[str]:
    return sorted({rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods})


_COLLECTION_APP = make_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
POST_ENDPOINTS = _post_endpoints(_COLLECTION_APP)


def reaching_roles(endpoint: str) -> list[str]:
    """The roles the permission matrices let through to the route's form."""
    if endpoint in ROLE_OVERRIDES:
        return ROLE_OVERRIDES[endpoint]
    statuses = DEADLINE_MATRIX[endpoint][2] if endpoint.startswith("deadlines.") else MATRIX[endpoint]
    roles = [role for role, status in statuses.items() if status not in (403, 404)]
    if endpoint in PUBLIC:
        roles = ["anonymous", *roles]
        if endpoint.startswith("portal."):
            roles.append(PORTAL_VISITOR)
    return roles


def alike(endpoint: str) -> bool:
    statuses = MATRIX.get(endpoint)
    return statuses is not None and len(set(statuses.values())) == 1 and endpoint not in ROLE_OVERRIDES


@pytest.fixture
def ground(app, users, create_case, matrix_case):  # noqa: F811 (the imported fixture)
    """URL values for every route: the matrix case's objects, deadlines objects, an injunction."""
    ids, spares = matrix_case
    case = db.session.get(Case, ids["case_id"])
    time_limit = deadline_ops.start_deadline(case, "adj.time_limit", started_at=case.received_at, actor=None)
    extension = deadline_ops.request_extension(
        time_limit, level="director", length=1, reason="案情复杂", actor=users["examiner"]
    )
    period = deadline_ops.start_exclusion(
        case, ExclusionKind.appraisal, clock.to_local(case.received_at).date(), actor=users["examiner"], reason="鉴定"
    )
    notify_case_staff(case, None, "moved", key="fuzz", data={"title": "x"})
    note = db.session.scalars(db.select(Notification).where(Notification.user_id == users["examiner"].id)).first()
    shift = calendar_admin.add_duty_shift(
        factories.org("cdip"),
        users["examiner"],
        starts_at=clock.now() + timedelta(days=1),
        ends_at=clock.now() + timedelta(days=2),
        actor=users["admin"],
    )
    injunction = create_case(Channel.injunction, actor=users["examiner"])
    code = issue_access_code(case, case.requesters[0], actor=None)
    commit()
    docket = db.session.scalars(
        db.select(Deadline).where(Deadline.case_id == case.id, Deadline.rule_id == "adj.docket")
    ).first()
    ids |= {
        "deadline_id": (docket or time_limit).id,
        "extension_id": extension.id,
        "period_id": period.id,
        "note_id": note.id,
        "shift_id": shift.id,
        "rule_id": "med.time_limit",
    }
    overrides = spares() | {"cases.link_main_case": {"case_id": injunction.id}}
    return ids, overrides, {"reference": case.number, "code": code}


#: backend → role → the cookies of its signed-in client: each route starts from them again, so a
#: route that ends the session (log out, leave the portal) leaves the next route signed in
_SIGNED_IN: dict[str, dict[str, dict]] = {}


def _client(app: Any, role: str, access: dict[str, str], backend: str) -> Any:
    jars = _SIGNED_IN.setdefault(backend, {})
    if role not in jars:
        jars[role] = dict(_sign_in(app, role, access)._cookies)
    client = make_client_as(app, None, lang=None)
    client.jar = jars[role]
    return client


def _sign_in(app: Any, role: str, access: dict[str, str]) -> Any:
    if role == PORTAL_VISITOR:
        client = make_client_as(app, None)
        response = client.post("/portal/status/access", data=access)
        assert response.status_code == 302, "the portal visitor could not enter the case"
        return client
    return make_client_as(app, None if role == "anonymous" else role)


def _url(app: Any, endpoint: str, ids: dict[str, Any], overrides: dict[str, dict[str, Any]]) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint and "POST" in r.methods)
    with app.test_request_context():
        return url_for(endpoint, **({arg: ids.get(arg) for arg in rule.arguments} | overrides.get(endpoint, {})))


class Walk:
    """Sends the requests of one route and keeps what went wrong. Each request runs in a
    savepoint rolled back after it, so every one meets the same objects (a removal route's item
    is there for each kind of input); the database is compared with that state after a refused
    request that wrote something (a rolled-back write included): one that only read cannot have
    changed anything."""

    def __init__(self, endpoint: str, url: str) -> None:
        self.endpoint, self.url = endpoint, url
        self.sent = 0
        self.errors: list[str] = []
        self.state: dict[str, Any] | None = None
        self.fields: set[str] = set()
        self.statuses: Counter[int] = Counter()

    def post(self, client: Any, role: str, label: str, data: dict[str, str] | None) -> int:
        with walker.rolled_back():
            return self._post(client, role, label, data)

    def _post(self, client: Any, role: str, label: str, data: dict[str, str] | None) -> int:
        if self.state is None:
            self.state = walker.snapshot()
        self.sent += 1
        client._cookies = dict(client.jar)  # as the database, the client starts each request afresh
        with walker.watching_writes() as writes:
            try:
                response = client.post(self.url, data=data or {})
            except Exception as exc:  # the test client re-raises what the app would answer with 500
                self.errors.append(f"{role} {label}: {type(exc).__name__}: {str(exc)[:160]}")
                self.statuses[500] += 1
                return 500
        status = response.status_code
        self.statuses[status] += 1
        response.close()
        if status >= 500:
            self.errors.append(f"{role} {label}: {status}")
        changed = walker.changed_tables(self.state, walker.snapshot()) if writes and 400 <= status < 500 else []
        if changed := [t for t in changed if t not in ALLOWED_CHANGES.get(self.endpoint, set())]:
            self.errors.append(f"{role} {label}: {status} but changed {', '.join(changed)}")
        return status


def _every_field(fields: dict[str, walker.Field], value: str | None) -> dict[str, str] | None:
    if value is None:
        return None
    return dict.fromkeys(fields, value) if fields else {"anything": value}


def _one_bad_field(fields: dict[str, walker.Field]) -> list[tuple[str, str]]:
    """(field, kind) pairs: each field with its type's bad values, the most telling first, as many
    as the cap leaves per field (at least one)."""
    if not fields:
        return []
    per_field = max(1, ONE_FIELD_CAP // len(fields))
    return [(name, kind) for name, f in fields.items() for kind in walker.KINDS_BY_TYPE[f.kind][:per_field]]


#: a valid start for routes whose form depends on one choice: the probe would find only that one
#: or that only go on with the right credentials (the sign-in forms: then ``next`` is followed)
BASE_FORMS = {
    "cases.open_case": {"channel": "adjudication"},
    "auth.login": {"username": "examiner", "password": factories.PASSWORD},
    "portal.login": {"username": "party", "password": factories.PASSWORD},
}


def walk_route(app: Any, ground: tuple, endpoint: str, backend: str) -> Walk:
    """Every role reaching ``endpoint`` posts every kind of bad input; then the first of them
    whose post reads any field posts a valid form with one bad field at a time."""
    ids, overrides, access = ground
    url = _url(app, endpoint, ids, overrides)
    roles = reaching_roles(endpoint)
    walk = Walk(endpoint, url)
    has_get = any(r.endpoint == endpoint and "GET" in r.methods for r in app.url_map.iter_rules())
    clients = {role: _client(app, role, access, backend) for role in roles}
    ordered = sorted(roles, key=lambda r: ONE_FIELD_ORDER.index(r) if r in ONE_FIELD_ORDER else len(ONE_FIELD_ORDER))
    base = BASE_FORMS.get(endpoint, {})
    first, found = ordered[0], {}
    for role in ordered:  # the first role whose post reads fields (a signed-in user is sent on from /login)
        clients[role]._cookies = dict(clients[role].jar)
        with walker.rolled_back():
            found = walker.discover(clients[role], app, url, base, language_route=endpoint == "main.set_language")
        if found:
            first = role
            break
    walk.fields = set(found)
    for role in [first, *(r for r in ordered if r != first)]:
        client = clients[role]
        if role == first:
            kinds = walker.EVERY_FIELD_KINDS
        else:  # the other roles post the same fields
            kinds = OTHER_ROLE_KINDS if not alike(endpoint) or role in ALIKE_FULL else ALIKE_SHORT_KINDS
        for kind in kinds:
            walk.post(client, role, kind, _every_field(found, walker.KINDS[kind]))
        if role != first:
            continue
        page = {}
        if has_get:
            client._cookies = dict(client.jar)
            response = client.get(url, query_string=base)
            if response.status_code == 200:
                page = walker.page_values(response.get_data(as_text=True))
            response.close()
        valid = walker.valid_form(found, page) | base
        walk.post(client, role, "valid form", valid)
        for name, kind in _one_bad_field(found):
            walk.post(client, role, f"{name}={kind}", valid | {name: walker.KINDS[kind]})
    return walk


#: backend → endpoint → its walk: the ground is built once per backend (it is the slow part) and
#: every request rolled back, so no route sees another's changes
_WALKS: dict[str, dict[str, Walk]] = {}


def walks(request: pytest.FixtureRequest, app: Any, backend: str) -> dict[str, Walk]:
    if backend not in _WALKS:
        ground = request.getfixturevalue("ground")
        for role in {r for e in POST_ENDPOINTS if e not in EXCLUDED for r in reaching_roles(e)}:
            _client(app, role, ground[2], backend)  # signed in once, outside the rolled-back requests
        db.session.commit()
        _WALKS[backend] = {e: walk_route(app, ground, e, backend) for e in POST_ENDPOINTS if e not in EXCLUDED}
    return _WALKS[backend]


def test_every_post_route_is_walked(request, app, backend):
    """A new POST route is walked too (or excluded here with its reason), with requests sent."""
    endpoints = set(_post_endpoints(app))
    assert set(POST_ENDPOINTS) == endpoints
    assert EXCLUDED.keys() <= endpoints
    done = walks(request, app, backend)
    assert len(done) == len(endpoints) - len(EXCLUDED)
    assert {e: w.sent for e, w in done.items() if w.sent < len(walker.EVERY_FIELD_KINDS)} == {}


def _params() -> list[Any]:
    return [
        pytest.param(e, marks=pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[e])) if e in KNOWN_FAILURES else e
        for e in POST_ENDPOINTS
        if e not in EXCLUDED
    ]


@pytest.mark.parametrize("endpoint", _params())
def test_no_server_error_on_any_input(request, app, backend, endpoint):
    walk = walks(request, app, backend)[endpoint]
    assert walk.errors == [], f"{endpoint} ({walk.url}), {walk.sent} requests, fields {sorted(walk.fields)}"


# -- the findings, one by one ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    ["/cases/\r\nX-Injected: 1", "/cases/\nSet-Cookie: a=b", "/cases/\tx", "/\\evil.example", "/" + "a" * 3000],
)
def test_language_switch_never_puts_raw_input_into_location(app, target):
    client = make_client_as(app, "examiner")
    response = client.post("/language", data={"lang": "zh_CN", "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/cases/"
    assert "X-Injected" not in response.headers and "Set-Cookie" not in str(response.headers.getlist("Location"))


def test_language_switch_still_goes_back_to_the_page(app):
    client = make_client_as(app, "examiner")
    response = client.post("/language", data={"lang": "en", "next": "/cases/?q=%E4%B8%93%E5%88%A9&page=2"})
    assert response.headers["Location"] == "/cases/?q=%E4%B8%93%E5%88%A9&page=2"


@pytest.mark.parametrize(
    ("lang", "message"), [("en", "Choose only among the options offered."), ("zh_CN", "请只在所列选项中选择。")]
)
@pytest.mark.parametrize("value", ["", "   ", "\u3000", "no-such-pool"])
def test_a_blank_or_unknown_pool_is_a_form_error(app, users, lang, message, value):
    client = make_client_as(app, "director", lang)
    before = walker.snapshot()
    response = client.post(f"/pools/{users['examiner'].id}/edit", data={"pools": value, "employer": "某研究院"})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert walker.changed_tables(before, walker.snapshot()) == []
