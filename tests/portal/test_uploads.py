"""Evidence files from the public: the type is read from the content, sizes and counts are
capped, and a refused file changes nothing and says why (never a 500)."""

import hashlib

import pytest
import sqlalchemy as sa

from ipcase.cases.enums import CaseSource
from ipcase.cases.evidence import EvidenceItem
from ipcase.cases.models import Case
from ipcase.core.extensions import db
from ipcase.portal.models import PortalDraft
from tests.portal.helpers import EXE, JPEG, PDF, PNG, submit, walk_steps


def online_cases() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Case).where(Case.source == CaseSource.online))


def evidence_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(EvidenceItem))


@pytest.fixture
def reviewed(client_as):
    """A client whose filing is complete up to the review page (two evidence rows)."""
    client = client_as()
    walk_steps(client)
    return client


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (EXE, "证据.pdf", "is not a PDF, JPEG or PNG file"),  # a renamed executable
        (b"<html><script>alert(1)</script></html>", "page.png", "is not a PDF, JPEG or PNG file"),
        (b"PK\x03\x04" + b"\x00" * 40, "contract.docx", "is not a PDF, JPEG or PNG file"),
        (b"", "empty.pdf", "is empty"),
    ],
)
def test_files_of_the_wrong_type_are_refused(reviewed, text, content, name, message):
    response = submit(reviewed, files={"file-0": (PDF, "ok.pdf"), "file-1": (content, name)})
    assert response.status_code == 422
    page = text(response)
    assert message in page
    assert online_cases() == 0 and evidence_count() == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PortalDraft)) == 1  # the draft is kept


def test_a_pdf_named_like_an_image_is_stored_as_what_it_is(reviewed):
    assert submit(reviewed, files={"file-0": (PDF, "scan.jpg"), "file-1": (JPEG, "photo")}).status_code == 200
    items = db.session.scalars(sa.select(EvidenceItem).order_by(EvidenceItem.position)).all()
    assert [(i.filename, i.content_type) for i in items] == [
        ("scan.pdf", "application/pdf"),
        ("photo.jpg", "image/jpeg"),
    ]


def test_a_file_over_the_size_limit_is_refused(app, reviewed, text, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_UPLOAD_MAX_BYTES", 1024)
    big = PDF + b"0" * 1024
    response = submit(reviewed, files={"file-0": (big, "big.pdf")})
    assert response.status_code == 422
    assert "“big.pdf” is larger than" in text(response)
    assert online_cases() == 0


def test_a_request_over_the_site_limit_gets_a_clear_page(app, reviewed, text, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2048)
    response = submit(reviewed, files={"file-0": (PDF + b"0" * 4096, "huge.pdf")})
    assert response.status_code == 413
    assert "too large" in text(response)
    assert '<header class="topbar portal-topbar">' in text(response)
    assert online_cases() == 0


def test_too_many_files_are_refused(app, client_as, text, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_UPLOAD_MAX_FILES", 2)
    client = client_as()
    walk_steps(client, evidence={f"rows-{i}-title": f"证据{i}" for i in range(3)})
    response = submit(client, files={f"file-{i}": (PNG, f"{i}.png") for i in range(3)})
    assert response.status_code == 422
    assert "at most 2 files" in text(response)
    assert online_cases() == 0 and evidence_count() == 0


def test_files_in_forged_fields_are_refused(reviewed, text):
    response = submit(reviewed, files={"file-7": (PDF, "stray.pdf")})  # no 8th item listed
    assert response.status_code == 422
    assert "Attach each file to an item of the evidence list" in text(response)
    response = submit(reviewed, files={"attachment": (PDF, "other.pdf")})
    assert response.status_code == 422
    assert "unexpected file" in text(response)
    response = submit(reviewed, files={"file-99999999999999999999": (PDF, "x.pdf")})
    assert response.status_code == 422
    assert online_cases() == 0


def test_a_file_name_cannot_reach_outside_or_inject_markup(reviewed, text):
    name = "../../etc/<img src=x onerror=alert(1)>.pdf"
    response = submit(reviewed, files={"file-0": (EXE, name)})
    assert response.status_code == 422
    page = text(response)
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;.pdf" in page
    assert submit(reviewed, files={"file-0": (PDF, "..\\..\\boot.ini.pdf")}).status_code == 200
    assert db.session.scalar(sa.select(EvidenceItem.filename).where(EvidenceItem.position == 1)) == "boot.ini.pdf"


def test_files_are_hashed(reviewed):
    submit(reviewed, files={"file-0": (PDF, "a.pdf")})
    item = db.session.scalars(sa.select(EvidenceItem)).first()
    assert item.sha256 == hashlib.sha256(PDF).hexdigest()


def test_non_file_junk_in_a_file_field_is_ignored(reviewed):
    response = reviewed.post(
        "/portal/file/adjudication/review",
        data={"confirm": "y", "file-0": "just text, not a file"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert online_cases() == 1
