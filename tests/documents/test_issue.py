"""Issuing: numbering, the stored PDF, hash, snapshot and template version, immutability,
corrections, and the snapshot builders of every kind."""

import hashlib
import json
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from ipcase.cases.enums import Channel
from ipcase.cases.models import TimelineEntry
from ipcase.cases.registry import all_channels
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.documents import operations as ops
from ipcase.documents import render
from ipcase.documents.models import DocumentChanged, IssuedDocument, ServiceMethod
from ipcase.documents.registry import BY_KEY, KINDS, get_kind
from ipcase.documents.snapshots import build_snapshot, cite
from tests.documents.conftest import NOW, needs_poppler, pdf_text

#: the tests' dates, numbers and due dates are written for Tuesday 2026-11-24 10:00 China time
pytestmark = pytest.mark.frozen_at(NOW)


@pytest.fixture(autouse=True)
def english():
    """Refusals are matched in English (the default locale outside a request is Chinese)."""
    with force_locale("en"):
        yield


def docketing(case, **extra):
    return {"addressee": case.requesters[0].id, "docketed_on": "2026-11-23", "note": ""} | extra


def test_issue_numbers_stores_and_hashes(app, case, users, frozen_now):
    doc = ops.issue_document(case, "docketing_notice", docketing(case), actor=users["examiner"])
    assert doc.number == "成知立〔2026〕1号"
    assert (doc.code, doc.year, doc.serial) == ("立", 2026, 1)
    assert doc.sha256 == hashlib.sha256(doc.pdf).hexdigest()
    assert doc.size == len(doc.pdf)
    assert doc.pdf.startswith(b"%PDF-")
    assert doc.issued_at == datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
    assert len(doc.template_version) == 16
    assert len(doc.verification_code) == ops.CODE_LENGTH
    assert set(doc.verification_code) <= set(ops.CODE_ALPHABET)
    # the snapshot is plain JSON data and carries what was printed
    assert json.loads(json.dumps(doc.snapshot)) == doc.snapshot
    assert doc.snapshot["meta"]["number"] == doc.number
    assert doc.snapshot["parties"][0]["agents"][0]["name"] == "李律师"
    entry = db.session.scalars(sa.select(TimelineEntry).where(TimelineEntry.case_id == case.id)).all()[-1]
    assert (entry.event, entry.data["number"]) == ("document.issued", doc.number)


@needs_poppler
def test_pdf_holds_number_parties_agent_and_basis(app, case, users, frozen_now):
    doc = ops.issue_document(case, "docketing_notice", docketing(case), actor=users["examiner"])
    words = pdf_text(doc.pdf)
    for expected in (doc.number, case.number, "成都某某科技有限公司", "四川某某贸易有限公司", "第十二条", "第二十条"):
        assert expected in words, expected
    assert "《专利纠纷行政裁决和调解办法》" in words


def test_serials_follow_per_code_organisation_and_year(app, case, users, create_case, frozen_now):
    first = ops.issue_document(case, "docketing_notice", docketing(case), actor=users["examiner"])
    second = ops.issue_document(case, "docketing_notice", docketing(case), actor=users["examiner"])
    other_code = ops.issue_document(
        case,
        "deficiency_notice",
        {"addressee": case.requesters[0].id, "defects": "缺页", "cure_by": "2026-12-31"},
        actor=users["examiner"],
    )
    chongqing = create_case(Channel.adjudication, organisation="cqip", actor=users["cqexaminer"])
    elsewhere = ops.issue_document(chongqing, "docketing_notice", docketing(chongqing), actor=users["cqexaminer"])
    assert [first.number, second.number, other_code.number, elsewhere.number] == [
        "成知立〔2026〕1号",
        "成知立〔2026〕2号",
        "成知补〔2026〕1号",
        "渝知立〔2026〕1号",
    ]
    frozen_now(datetime(2027, 1, 4, 2, 0, tzinfo=UTC))
    assert ops.issue_document(case, "docketing_notice", docketing(case), actor=None).number == "成知立〔2027〕1号"


def test_number_format_is_configurable(app, case, frozen_now, monkeypatch):
    monkeypatch.setitem(app.config, "DOCUMENT_NUMBER_FORMAT", "{abbr}{code}字〔{year}〕第{serial}号")
    monkeypatch.setitem(app.config, "DOCUMENT_CODES", {"docketing_notice": "受"})
    doc = ops.issue_document(case, "docketing_notice", docketing(case), actor=None)
    assert doc.number == "成知受字〔2026〕第1号"


def test_an_issued_document_cannot_be_changed_or_deleted(app, case, frozen_now):
    doc = ops.issue_document(case, "docketing_notice", docketing(case), actor=None)
    db.session.flush()
    doc.title = "篡改"
    with pytest.raises(DocumentChanged):
        db.session.flush()
    db.session.rollback()
    doc = db.session.scalars(sa.select(IssuedDocument)).first()
    if doc is not None:  # the savepoint kept it (SQLite and PostgreSQL alike keep the outer transaction)
        db.session.delete(doc)
        with pytest.raises(DocumentChanged):
            db.session.flush()


def test_the_pdf_bytes_cannot_be_swapped(app, case, frozen_now):
    doc = ops.issue_document(case, "docketing_notice", docketing(case), actor=None)
    db.session.flush()
    doc.pdf = b"%PDF-1.7 forged"
    with pytest.raises(DocumentChanged):
        db.session.flush()


def test_postgresql_trigger_refuses_sql_updates(app, backend, case, frozen_now):
    if backend != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL")
    doc = ops.issue_document(case, "docketing_notice", docketing(case), actor=None)
    db.session.flush()
    nested = db.session.begin_nested()
    with pytest.raises(sa.exc.DBAPIError, match="cannot be changed"):
        db.session.execute(sa.update(IssuedDocument).where(IssuedDocument.id == doc.id).values(title="x"))
    nested.rollback()
    assert db.session.get(IssuedDocument, doc.id).title == "受理通知书"


def test_adding_service_does_not_count_as_a_change(app, case, users, frozen_now):
    doc = ops.issue_document(case, "docketing_notice", docketing(case), actor=None)
    ops.record_service(
        doc,
        recipient=case.requesters[0],
        method=ServiceMethod.direct,
        served_on=date(2026, 11, 24),
        actor=users["examiner"],
    )
    db.session.flush()
    assert len(doc.services) == 1


def test_correction_is_a_new_document_referencing_the_old(app, case, users, frozen_now):
    old = ops.issue_document(case, "docketing_notice", docketing(case), actor=users["examiner"])
    new = ops.issue_document(
        case, "docketing_notice", docketing(case, note="更正立案日期"), actor=users["examiner"], corrects=old
    )
    assert new.corrects is old and old.corrections == [new]
    assert new.number != old.number
    assert new.snapshot["meta"]["corrects"] == old.number
    assert old.snapshot["fields"]["note"] == ""  # the old one is unchanged
    with pytest.raises(DomainError, match="already corrected"):
        ops.issue_document(case, "docketing_notice", docketing(case), actor=None, corrects=old)
    with pytest.raises(DomainError, match="same kind"):
        ops.issue_document(case, "defence_notice", docketing(case), actor=None, corrects=new)


def test_kind_of_another_procedure_is_refused(app, case, frozen_now):
    before = db.session.scalar(sa.select(sa.func.count()).select_from(IssuedDocument))
    with pytest.raises(DomainError):
        ops.issue_document(case, "injunction_decision", {"outcome": "granted", "reasons": "x"}, actor=None)
    with pytest.raises(DomainError):
        ops.issue_document(case, "no_such_kind", {}, actor=None)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IssuedDocument)) == before


def test_defence_notice_gives_the_defence_period_of_the_rules(app, case, frozen_now):
    kind = get_kind("defence_notice")
    snap = build_snapshot(case, kind, docketing(case), issued_on=datetime(2026, 11, 24).date())
    assert (snap["period"]["length"], snap["period"]["basis"]) == (15, "《专利纠纷行政裁决和调解办法》第二十二条")
    case.respondents[0].has_domestic_domicile = False
    snap = build_snapshot(case, kind, docketing(case), issued_on=datetime(2026, 11, 24).date())
    assert snap["period"]["length"] == 30


def sample_value(field):
    kind_name = type(field).__name__
    if kind_name == "SelectField":
        return field.choices[0].value if field.choices else None
    if kind_name in ("SelectMultipleField", "MultipleChoiceField"):
        return [ch.value for ch in field.choices[:1]]
    return {
        "TextAreaField": "第一项\n第二项",
        "StringField": "某某单位",
        "DateField": "2026-11-20",
        "DateTimeLocalField": "2026-12-01T09:30",
        "IntegerField": 3,
        "DecimalField": "30000.00",
        "BooleanField": False,
    }[kind_name]


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.key)
def test_every_kind_builds_a_plain_snapshot_and_html(app, create_case, users, frozen_now, kind):
    """Every kind: the form's defaults plus filled-in required parts give a JSON snapshot whose
    template renders with the parties and the legal basis (no PDF: that is the slow part)."""
    channel = Channel(sorted(kind.channels)[0])
    c = create_case(channel, actor=users["examiner"])
    form = kind.form(formdata=None, meta={"csrf": False}).prepare(c)
    fields = form.fill(form.defaults(c)).plain()
    for name, field in form._fields.items():
        if name == "csrf_token" or fields.get(name) not in (None, "", []):
            continue
        fields[name] = sample_value(field)
    snapshot = build_snapshot(c, kind, fields, issued_on=datetime(2026, 11, 24).date())
    snapshot["meta"] = {
        "number": "成知测〔2026〕1号",
        "verify_code": "ABCD2345",
        "verify_page": "/verify",
        "verify_url": "/verify?x",
        "corrects": None,
    }
    assert json.loads(json.dumps(snapshot)) == snapshot
    html = render.render_html(kind.template_file, snapshot)
    assert kind.title in html
    assert "成知测〔2026〕1号" in html
    assert snapshot["basis"] and all(b in html for b in snapshot["basis"]), snapshot["basis"]
    names = [p.name for p in c.parties]
    assert any(name in html for name in names) or kind.key in {"service_receipt"}


def test_cite_merges_articles_of_one_instrument():
    assert cite("《办法》第十二条", "《办法》第二十条", "《专利法》第六十五条", "《办法》第一条") == [
        "《办法》第十二条、第二十条",
        "《专利法》第六十五条",
        "《办法》第一条",
    ]


def test_every_document_the_workflows_call_for_is_in_the_catalogue(app):
    named = {
        (str(ch.key), key)
        for ch in all_channels()
        if ch.workflow
        for t in ch.workflow.transitions
        for key in t.documents
    }
    missing = sorted(key for _channel, key in named if key not in BY_KEY)
    assert missing == []
    wrong_channel = sorted((c, k) for c, k in named if k in BY_KEY and c not in BY_KEY[k].channels)
    assert wrong_channel == []


def test_codes_and_titles_are_distinct():
    codes = [k.code for k in KINDS]
    assert len(codes) == len(set(codes))
    assert len({k.key for k in KINDS}) == len(KINDS)


@needs_poppler
def test_decision_pdf_cites_the_law_and_the_remedy(app, case, users, frozen_now):
    decision = ops.issue_document(
        case,
        "adjudication_decision",
        {
            "requester_claims": "请求责令停止侵权",
            "findings": "被诉产品落入保护范围",
            "reasoning": "侵权成立",
            "order": "立即停止制造\n销毁模具",
        },
        actor=users["director"],
    )
    words = pdf_text(decision.pdf)
    for expected in (
        decision.number,
        "专利侵权纠纷行政裁决书",
        "《中华人民共和国专利法》第六十五条",
        "第三十一条",
        "十五日内",
        "一、立即停止制造",
        "二、销毁模具",
        "李律师",
        "二〇二六年十一月二十四日",
    ):
        assert expected in words, expected
