"""Protection of the public side: headers (CSP without inline code, frame denial, nosniff,
referrer policy, no-store, noindex), CSRF with a friendly page, the honeypot, and bad input —
odd Unicode, huge fields, forged forms, NUL bytes — always a clear answer and never a 500."""

import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from ipcase.cases.enums import CaseSource
from ipcase.cases.models import Case
from ipcase.core.extensions import db
from ipcase.portal.models import PortalDraft
from tests.portal.helpers import enter, step_data, submit, walk_steps

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "portal"
PUBLIC_PAGES = ["/portal/", "/portal/status/access", "/portal/file/adjudication/office", "/portal/account/login"]


def drafts() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(PortalDraft))


def online_cases() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Case).where(Case.source == CaseSource.online))


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_security_headers_on_portal_pages(client_as, text, url):
    response = client_as().get(url)
    assert response.status_code == 200
    h = response.headers
    csp = h["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert h["X-Frame-Options"] == "DENY"
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["Referrer-Policy"] == "same-origin"
    assert h["Cache-Control"] == "no-store"
    assert h["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex">' in text(response)


def test_status_and_error_pages_carry_the_headers_too(client_as, case_with_codes):
    case, codes = case_with_codes
    client = client_as()
    enter(client, case.number, codes["requester"])
    for response in (client.get("/portal/status"), client.get("/portal/file/patent/office")):
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_portal_templates_have_no_inline_script_or_style():
    for path in TEMPLATES.glob("*.html"):
        source = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", source), path.name
        assert "<style" not in source and " style=" not in source, path.name
        assert not re.search(r"\son[a-z]+=", source), path.name  # no inline event handlers


def test_csrf_failure_gives_a_friendly_answer(app, client_as, text, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    client = client_as(lang=None)
    response = client.post(
        "/portal/status/access",
        data={"reference": "x", "code": "y"},
        headers={"Referer": "http://localhost/portal/status/access"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "http://localhost/portal/status/access"
    page = text(client.get("/portal/status/access"))
    assert 'class="flash flash-warning"' in page
    assert '<header class="topbar portal-topbar">' in page
    # and the form on the page carries a token, so a real submission passes
    assert re.search(r'name="csrf_token" type="hidden" value="[^"]+"', page)


def test_csrf_failure_on_a_filing_step_keeps_nothing(app, client_as, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client_as().post("/portal/file/adjudication/office", data=step_data()["office"])
    assert response.status_code == 302
    assert drafts() == 0


def test_the_honeypot_refuses_the_form(client_as, text):
    client = client_as()
    response = client.post("/portal/file/adjudication/office", data=step_data()["office"] | {"website": "http://spam"})
    assert response.status_code == 422
    assert "could not be accepted" in text(response)
    assert drafts() == 0
    bot = client_as().post("/portal/status/access", data={"reference": "a", "code": "b", "website": "x"})
    assert bot.status_code == 422
    walk_steps(client)
    assert submit(client, website="bot").status_code == 422
    assert online_cases() == 0


ODD = [
    "\u202etxt.exe",  # right-to-left override
    "Z̴̡̢̛̗̘̙̜̝̞̟̠̣̤̥̦̩̪̫̬̭̮̯̰̱̲̳̹̺̻̼ͅalgo",
    "😀" * 30,
    "\ufeff\u200b\u200d",
    "\ud7ff\ue000\uffff",
    "a\r\nb\tc",
    "' OR 1=1 --",
    "{{ 7*7 }}",
    "<script>alert(1)</script>",
]


@pytest.mark.parametrize("value", ODD)
def test_odd_unicode_is_kept_or_refused_but_never_a_500(client_as, text, value):
    client = client_as()
    data = step_data()
    client.post("/portal/file/adjudication/office", data=data["office"])
    response = client.post("/portal/file/adjudication/requester", data=data["requester"] | {"requester-name": value})
    assert response.status_code in (302, 422)
    page = text(client.get("/portal/file/adjudication/requester"))
    assert "<script>alert(1)</script>" not in page
    assert "49" not in re.findall(r'value="([^"]*)"', page)
    assert enter(client_as(), value, value).status_code in (422,)


@pytest.mark.parametrize(
    ("step", "field"),
    [("requester", "requester-name"), ("request", "facts"), ("evidence", "rows-0-title"), ("right", "right-title")],
)
def test_huge_fields_get_a_clear_message(client_as, text, step, field):
    client = client_as()
    data = step_data()
    for earlier in list(data)[: list(data).index(step)]:
        client.post(f"/portal/file/adjudication/{earlier}", data=data[earlier])
    response = client.post(f"/portal/file/adjudication/{step}", data=data[step] | {field: "长" * 100_000})
    assert response.status_code == 422
    assert "Field cannot be longer than" in text(response)


def test_a_huge_reference_or_code_is_the_uniform_error_or_a_length_message(client_as, text):
    response = enter(client_as(), "成" * 10_000, "A" * 10_000)
    assert response.status_code == 422
    assert "longer than" in text(response)


@pytest.mark.parametrize(
    "forged",
    [
        {"organisation_id": "abc"},
        {"organisation_id": "99999999999999999999999"},
        {"organisation_id": "-1"},
    ],
)
def test_forged_office_choice(client_as, forged):
    assert client_as().post("/portal/file/adjudication/office", data=forged).status_code == 422
    assert drafts() == 0


def test_forged_step_fields_are_refused_or_dropped(client_as, text):
    client = client_as()
    data = step_data()
    client.post("/portal/file/adjudication/office", data=data["office"])
    forged = data["requester"] | {
        "requester-kind": "alien",
        "requester-origin": "mars",
        "requester-role": "respondent",
        "extra-field": "x" * 1000,
    }
    response = client.post("/portal/file/adjudication/requester", data=forged)
    assert response.status_code == 422
    assert "Not a valid choice" in text(response)
    client.post("/portal/file/adjudication/requester", data=data["requester"] | {"extra": "dropped", "user_id": "1"})
    draft = db.session.scalars(sa.select(PortalDraft)).one()
    assert "extra" not in draft.data["requester"] and "user_id" not in draft.data["requester"]


def test_forged_evidence_rows_beyond_the_list_are_refused(client_as, text):
    client = client_as()
    data = step_data()
    for step in ("office", "requester", "respondent", "right", "request"):
        client.post(f"/portal/file/adjudication/{step}", data=data[step])
    response = client.post(
        "/portal/file/adjudication/evidence", data={f"rows-{i}-title": "x" for i in range(0, 5000, 100)}
    )
    assert response.status_code in (302, 422)
    assert (
        db.session.scalars(sa.select(PortalDraft)).one().data.get("evidence") is None
        or len(db.session.scalars(sa.select(PortalDraft)).one().data["evidence"]) <= 10
    )


def test_nul_bytes_are_a_clear_400(client_as, text):
    response = client_as().post("/portal/status/access", data={"reference": "a\x00b", "code": "c"})
    assert response.status_code == 400
    assert "could not be understood" in text(response)


def test_unknown_or_wrong_method_pages_are_clear(client_as, text):
    client = client_as()
    assert client.get("/portal/status/leave").status_code == 405
    assert client.get("/portal/account/cases/0").status_code == 404  # not an id at all
    response = client_as("party").get("/portal/account/cases/99999999999")
    assert response.status_code == 404
    assert "There is nothing at this address" in text(response)
