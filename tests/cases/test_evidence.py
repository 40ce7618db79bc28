"""The evidence list: the content check of uploaded files, and the pages that list, add,
download and remove items (a refused upload says why and stores nothing)."""

import hashlib
from io import BytesIO

import pytest
import sqlalchemy as sa

from ipcase.cases.enums import Channel
from ipcase.cases.evidence import MAX_FILE_SIZE, EvidenceItem, add_evidence, safe_filename, sniff
from ipcase.cases.models import TimelineEntry
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from tests.cases.helpers import commit

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 40
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 40


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF, ("application/pdf", "pdf")),
        (PNG, ("image/png", "png")),
        (JPEG, ("image/jpeg", "jpg")),
        (EXE, None),
        (ELF, None),
        (b"<html><script>alert(1)</script>", None),
        (b"%PD", None),  # a truncated signature
        (b"\x89PNG", None),
        (b"", None),
    ],
)
def test_sniff_reads_the_type_from_the_content(content, expected):
    assert sniff(content) == expected


@pytest.mark.parametrize(
    ("name", "ext", "expected"),
    [
        ("公证书.pdf", "pdf", "公证书.pdf"),
        ("scan.exe", "pdf", "scan.pdf"),  # the content decides the extension
        ("C:\\Users\\x\\照片.JPG", "jpg", "照片.jpg"),
        ("../../etc/passwd", "png", "passwd.png"),
        ("", "pdf", "evidence.pdf"),
        ('a<b>:"c|?*.png', "png", "abc.png"),
    ],
)
def test_safe_filename(name, ext, expected):
    assert safe_filename(name, ext) == expected


@pytest.fixture
def case(app, create_case, users):
    c = create_case(Channel.adjudication, actor=users["examiner"])
    c.requesters[0].user = users["party"]
    c.respondents[0].user = users["party2"]
    commit()
    return c


def items(case):
    return db.session.scalars(sa.select(EvidenceItem).where(EvidenceItem.case_id == case.id)).all()


def evidence_entries(case):
    stmt = sa.select(TimelineEntry).where(TimelineEntry.case_id == case.id, TimelineEntry.event.like("evidence.%"))
    return db.session.scalars(stmt).all()


def upload(client, case, content=None, name="证据.pdf", **fields):
    data = {"evidence-title": "公证书（2026）川成证字第1号", "evidence-kind": "original"} | fields
    if content is not None:
        data["evidence-file"] = (BytesIO(content), name)
    return client.post(
        f"/cases/{case.id}/evidence", data=data, content_type="multipart/form-data", follow_redirects=True
    )


@pytest.mark.parametrize(
    ("content", "name", "content_type", "stored_name"),
    [
        (PDF, "购买公证.pdf", "application/pdf", "购买公证.pdf"),
        (PNG, "screenshot.png", "image/png", "screenshot.png"),
        (JPEG, "photo.jpeg", "image/jpeg", "photo.jpg"),
    ],
)
def test_good_files_are_accepted(client_as, case, text, content, name, content_type, stored_name):
    client = client_as("examiner")
    page = text(upload(client, case, content, name, **{"evidence-purpose": "证明被请求人许诺销售"}))
    assert "Evidence no. 1 listed." in page
    (item,) = items(case)
    assert (item.content_type, item.filename, item.size) == (content_type, stored_name, len(content))
    assert item.sha256 == hashlib.sha256(content).hexdigest()
    assert item.position == 1
    assert item.purpose == "证明被请求人许诺销售"
    download = client.get(f"/cases/{case.id}/evidence/{item.id}/file")
    assert download.status_code == 200
    assert download.data == content
    assert download.mimetype == content_type
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert [e.event for e in evidence_entries(case)] == ["evidence.added"]


def test_an_item_without_a_file_is_listed(client_as, case, text):
    client = client_as("examiner")
    page = text(upload(client, case, None, **{"evidence-submitted_by_party_id": str(case.requesters[0].id)}))
    assert "Evidence no. 1 listed." in page
    (item,) = items(case)
    assert not item.has_file
    assert item.submitted_by_party_id == case.requesters[0].id
    assert client.get(f"/cases/{case.id}/evidence/{item.id}/file").status_code == 404


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (EXE, "合同.pdf", "Only PDF, JPEG and PNG files are accepted"),  # a renamed executable
        (ELF, "scan.png", "Only PDF, JPEG and PNG files are accepted"),
        (b"just some text", "note.jpg", "Only PDF, JPEG and PNG files are accepted"),  # wrong magic
        (PDF + b"\x00" * (MAX_FILE_SIZE + 1 - len(PDF)), "big.pdf", "larger than 20 MB"),
        (b"", "empty.pdf", "The file is empty."),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(client_as, case, text, content, name, message):
    client = client_as("examiner")
    response = upload(client, case, content, name)
    assert response.status_code == 200
    assert message in text(response)
    assert items(case) == []
    assert evidence_entries(case) == []


def test_a_file_of_exactly_the_limit_is_accepted(case, users):
    content = PDF + b"\x00" * (MAX_FILE_SIZE - len(PDF))
    item = add_evidence(case, {"title": "卷宗"}, actor=users["examiner"], upload=("卷宗.pdf", content))
    assert item.size == MAX_FILE_SIZE


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"evidence-title": ""}, "This field is required."),
        ({"evidence-pages": "0"}, "Number must be between 1 and 100000."),
        ({"evidence-kind": "forged"}, "Not a valid choice."),
        ({"evidence-submitted_by_party_id": "999999"}, "Not a valid choice."),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(client_as, case, text, fields, message):
    page = text(upload(client_as("examiner"), case, PDF, **fields))
    assert message in page
    assert items(case) == []


def test_another_cases_party_is_refused(case, create_case, users):
    other = create_case(Channel.adjudication, requester="别案请求人")
    with pytest.raises(DomainError):
        add_evidence(case, {"title": "x", "submitted_by_party_id": other.requesters[0].id}, actor=users["examiner"])
    assert items(case) == []


def test_parties_see_only_their_own_sides_items(client_as, case, users, text):
    ours = add_evidence(
        case,
        {"title": "请求人提交的购买发票", "submitted_by_party_id": case.requesters[0].id},
        actor=users["examiner"],
        upload=("发票.pdf", PDF),
    )
    theirs = add_evidence(
        case,
        {"title": "被请求人提交的现有技术文献", "submitted_by_party_id": case.respondents[0].id},
        actor=users["examiner"],
        upload=("文献.pdf", PDF),
    )
    office = add_evidence(case, {"title": "现场勘验笔录"}, actor=users["examiner"], upload=("笔录.png", PNG))
    commit()
    party = client_as("party")
    page = text(party.get(f"/cases/{case.id}"))
    assert "请求人提交的购买发票" in page
    assert "被请求人提交的现有技术文献" not in page
    assert "现场勘验笔录" not in page
    assert party.get(f"/cases/{case.id}/evidence/{ours.id}/file").status_code == 200
    assert party.get(f"/cases/{case.id}/evidence/{theirs.id}/file").status_code == 404
    assert party.get(f"/cases/{case.id}/evidence/{office.id}/file").status_code == 404
    assert f'action="/cases/{case.id}/evidence"' not in page  # no add form for parties
    other_side = client_as("party2")
    assert other_side.get(f"/cases/{case.id}/evidence/{ours.id}/file").status_code == 404
    assert other_side.get(f"/cases/{case.id}/evidence/{theirs.id}/file").status_code == 200
    staff_page = text(client_as("examiner").get(f"/cases/{case.id}"))
    for title in ("请求人提交的购买发票", "被请求人提交的现有技术文献", "现场勘验笔录"):
        assert title in staff_page


def test_items_are_reached_only_through_their_own_case(client_as, case, create_case, users):
    other = create_case(Channel.adjudication, requester="别案请求人")
    item = add_evidence(other, {"title": "别案证据"}, actor=None, upload=("a.pdf", PDF))
    commit()
    client = client_as("examiner")
    assert client.get(f"/cases/{case.id}/evidence/{item.id}/file").status_code == 404
    assert client.post(f"/cases/{case.id}/evidence/{item.id}/delete").status_code == 404
    assert items(other) == [item]
    # another region's examiner cannot see the case at all
    foreign = client_as("cqexaminer")
    assert foreign.get(f"/cases/{other.id}/evidence/{item.id}/file").status_code == 404


def test_remove_and_closed_cases(client_as, case, users, text):
    item = add_evidence(case, {"title": "要删除的证据"}, actor=users["examiner"])
    keep = add_evidence(case, {"title": "保留的证据"}, actor=users["examiner"])
    commit()
    client = client_as("examiner")
    assert client_as("party").post(f"/cases/{case.id}/evidence/{keep.id}/delete").status_code == 403
    page = text(client.post(f"/cases/{case.id}/evidence/{item.id}/delete", follow_redirects=True))
    assert "Evidence removed." in page
    assert items(case) == [keep]
    assert [e.event for e in evidence_entries(case)] == ["evidence.added", "evidence.added", "evidence.removed"]
    case.closed_at = case.received_at
    case.state = "closed_cancelled"
    commit()
    assert client.post(f"/cases/{case.id}/evidence/{keep.id}/delete").status_code == 403
    assert upload(client, case, PDF).status_code == 403
    assert items(case) == [keep]
    with pytest.raises(DomainError):
        add_evidence(case, {"title": "x"}, actor=users["examiner"])
