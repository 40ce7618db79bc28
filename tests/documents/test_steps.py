"""Documents agree with the steps that call for them (issue 12): the injunction decision prints
the grant's duration and expiry day and its measures, the mediation agreement the compensation,
payment date and terms of the agreement step, the confirmation application the court the step
named; a document that says otherwise is refused, as is one issued before its step. The
wording and legal basis of a mediation document follow the type of mediation and the
organisation, and terms typed with their own numbers are numbered once."""

import html
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from ipcase.cases.enums import Channel
from ipcase.channels.injunctions.workflow import WORKFLOW as INJUNCTION
from ipcase.channels.mediation.states import MediationState
from ipcase.channels.mediation.workflow import WORKFLOW as MEDIATION
from ipcase.channels.workflow import take
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.documents import operations as ops
from ipcase.documents import render
from ipcase.documents.chinese import chinese_date
from ipcase.documents.models import IssuedDocument
from ipcase.documents.registry import get_kind
from ipcase.documents.snapshots import build_snapshot
from ipcase.documents.steps import recorded
from ipcase.documents.wording import chinese_count, numbered_terms, same_terms, strip_enumerator
from tests.documents.conftest import NOW, needs_poppler, pdf_text

pytestmark = pytest.mark.frozen_at(NOW)

APPLICATION = {"urgency_facts": "展会明日闭幕", "requested_measures": "撤下展品", "bond_amount": Decimal("10000")}


@pytest.fixture(autouse=True)
def english():
    with force_locale("en"):
        yield


def issued_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(IssuedDocument)) or 0


# -- numbering of terms: one rule, a table ------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("一、停止销售", "停止销售"),
        ("十二、停止销售", "停止销售"),
        ("1. 停止销售", "停止销售"),
        ("1、停止销售", "停止销售"),
        ("10．停止销售", "停止销售"),
        ("（1）停止销售", "停止销售"),
        ("(2) 停止销售", "停止销售"),
        ("（三）停止销售", "停止销售"),
        ("第一条 停止销售", "停止销售"),
        ("① 停止销售", "停止销售"),
        ("2) 停止销售", "停止销售"),
        ("停止销售", "停止销售"),
        # figures that are part of the text stay
        ("1.5万元于月底前支付", "1.5万元于月底前支付"),
        ("2026年12月31日前支付", "2026年12月31日前支付"),
        ("一次性支付三万元", "一次性支付三万元"),
        ("三方各执一份", "三方各执一份"),
        # only one enumerator goes; a bare number stays as typed
        ("一、1. 停止销售", "1. 停止销售"),
        ("一、", "一、"),
    ],
)
def test_a_typed_enumerator_is_dropped_before_numbering(typed, printed):
    assert strip_enumerator(typed) == printed


def test_terms_numbered_by_the_document_whatever_the_user_typed():
    typed = "一、停止销售\n\n2. 销毁库存\n（3）赔偿损失\n登报致歉"
    assert numbered_terms(typed) == ["停止销售", "销毁库存", "赔偿损失", "登报致歉"]
    assert same_terms(typed, "停止销售\n销毁库存\n赔偿损失\n登报致歉")
    assert not same_terms(typed, "停止销售\n销毁库存")


@pytest.mark.parametrize(
    ("n", "zh"),
    [(1, "一"), (15, "十五"), (90, "九十"), (100, "一百"), (105, "一百零五"), (120, "一百二十"), (365, "三百六十五")],
)
def test_chinese_count(n, zh):
    assert chinese_count(n) == zh


# -- the injunction decision ---------------------------------------------------------------------


@pytest.fixture
def injunction(app, create_case, users, frozen_now):
    return create_case(
        Channel.injunction,
        actor=users["examiner"],
        received_at=NOW - timedelta(hours=6),
        channel_data=dict(APPLICATION),
    )


def grant(case, users, days=90):
    take(INJUNCTION, case, "start_review", actor=users["examiner"])
    take(
        INJUNCTION,
        case,
        "grant",
        actor=users["director"],
        reason="申请人提供了担保，情况紧急",
        details={"measures": "1. 撤下展品\n2. 停止展出", "duration_days": days},
    )
    db.session.flush()


def decision_fields(case, **extra):
    rec = recorded(case, "injunction_decision")
    return {"outcome": "granted", "reasons": "理由详述", "measures": "", "valid_until": None} | rec.locked | extra


@needs_poppler
def test_injunction_decision_prints_the_grants_duration_expiry_and_measures(injunction, users):
    grant(injunction, users, days=90)
    granted_on = clock.local_day(injunction.granted_at)
    expires_on = granted_on + timedelta(days=90)
    doc = ops.issue_document(injunction, "injunction_decision", decision_fields(injunction), actor=users["director"])
    words = pdf_text(doc.pdf)
    assert "处理终结" not in words
    assert f"有效期九十日，自{chinese_date(granted_on + timedelta(days=1))}起至{chinese_date(expires_on)}止" in words
    assert "一、撤下展品" in words and "二、停止展出" in words and "一、1." not in words
    assert doc.snapshot["fields"]["valid_until"] == expires_on.isoformat()


def test_injunction_decision_contradicting_the_grant_is_refused(injunction, users):
    grant(injunction, users, days=90)
    before = issued_count()
    wrong_day = (injunction.expires_on + timedelta(days=30)).isoformat()
    for extra, field in (
        ({"valid_until": wrong_day}, "valid_until"),
        ({"outcome": "refused"}, "outcome"),
        ({"measures": "停止销售"}, "measures"),
    ):
        with pytest.raises(DomainError) as refused:
            ops.issue_document(
                injunction, "injunction_decision", decision_fields(injunction, **extra), actor=users["director"]
            )
        assert [f for f, _ in refused.value.reasons] == [field]
        assert "Grant the injunction" in refused.value.messages[0]
    # a renumbered list of the same measures is the same order
    ops.issue_document(
        injunction,
        "injunction_decision",
        decision_fields(injunction, measures="撤下展品\n停止展出"),
        actor=users["director"],
    )
    assert issued_count() == before + 1


def test_injunction_decision_before_the_decision_step_is_refused(injunction, users):
    take(INJUNCTION, injunction, "start_review", actor=users["examiner"])
    with pytest.raises(DomainError, match="take “Grant the injunction"):
        ops.issue_document(
            injunction,
            "injunction_decision",
            {"outcome": "granted", "reasons": "x", "measures": "撤下展品", "valid_until": "2027-01-01"},
            actor=users["director"],
        )
    assert issued_count() == 0


def test_refused_application_prints_a_refusal(injunction, users):
    take(INJUNCTION, injunction, "start_review", actor=users["examiner"])
    take(INJUNCTION, injunction, "refuse", actor=users["director"], reason="未提供担保")
    rec = recorded(injunction, "injunction_decision")
    assert rec.locked == {"outcome": "refused"} and rec.prefill == {"reasons": "未提供担保"}
    with pytest.raises(DomainError):
        ops.issue_document(
            injunction,
            "injunction_decision",
            {"outcome": "granted", "reasons": "x", "measures": "撤", "valid_until": "2027-01-01"},
            actor=users["director"],
        )


def test_prepare_page_is_prefilled_from_the_grant_and_its_fields_read_only(app, injunction, users, client_as, text):
    grant(injunction, users, days=90)
    db.session.commit()
    page = html.unescape(text(client_as("director").get(f"/cases/{injunction.id}/documents/injunction_decision")))
    assert "申请人提供了担保，情况紧急" in page  # the step's reasons, to complete
    assert injunction.expires_on.isoformat() in page
    assert "readonly" in page
    assert "As recorded by the step “Grant the injunction" in page
    # the decision select offers only the recorded outcome
    assert 'value="refused"' not in page


def test_a_tampered_post_is_refused_on_the_form_and_nothing_issued(app, injunction, users, client_as, text):
    grant(injunction, users, days=90)
    db.session.commit()
    client = client_as("director")
    r = client.post(
        f"/cases/{injunction.id}/documents/injunction_decision",
        data={
            "outcome": "granted",
            "reasons": "理由",
            "measures": "撤下展品\n停止展出",
            "valid_until": (injunction.expires_on + timedelta(days=1)).isoformat(),
            "do": "issue",
        },
    )
    assert r.status_code == 422
    assert "the document says what the step recorded" in html.unescape(text(r))
    assert issued_count() == 0


# -- the mediation agreement and its follow-up ---------------------------------------------------


@pytest.fixture
def centre_case(app, create_case, users, frozen_now):
    c = create_case(
        Channel.mediation,
        organisation="cdmed",
        actor=users["mediator"],
        received_at=NOW - timedelta(days=3),
        channel_data={"mediation_type": "peoples"},
    )
    c.state = MediationState.in_session
    db.session.flush()
    return c


def agree(case, users, actor="mediator", terms="一、被请求人停止销售涉案产品\n二、被请求人销毁库存"):
    take(
        MEDIATION,
        case,
        "reach_agreement",
        actor=users[actor],
        details={
            "amount": Decimal("30000.00"),
            "terms": terms,
            "due_on": clock.today() + timedelta(days=30),
            "instalments": 3,
            "enforcement_undertaking": True,
        },
    )
    db.session.flush()


def agreement_fields(case, **extra):
    return (
        {"agreed_on": None, "amount": None, "due_on": None, "instalments": None, "terms": "", "copies": 3}
        | (recorded(case, "mediation_agreement").locked)
        | extra
    )


@needs_poppler
def test_peoples_mediation_at_the_centre_speaks_as_the_centre_under_the_peoples_mediation_law(centre_case, users):
    agree(centre_case, users)
    doc = ops.issue_document(centre_case, "mediation_agreement", agreement_fields(centre_case), actor=users["mediator"])
    words = pdf_text(doc.pdf)
    assert "本局" not in words
    assert "本中心" in words and "人民调解员" in words
    assert "《中华人民共和国人民调解法》第二十八条、第二十九条、第三十一条" in words
    assert "专利纠纷行政裁决和调解办法" not in words
    due = chinese_date(clock.today() + timedelta(days=30))
    assert f"于{due}前向请求人成都某某科技有限公司支付人民币30,000.00元，分三期支付" in words
    # the typed numbers are dropped: one numbering, the payment clause first
    assert "二、被请求人停止销售涉案产品" in words and "三、被请求人销毁库存" in words
    assert "一、一、" not in words and "二、二、" not in words


@needs_poppler
def test_administrative_mediation_at_the_office_speaks_as_the_office_under_order_81(app, create_case, users):
    c = create_case(Channel.mediation, actor=users["examiner"], received_at=NOW - timedelta(days=3))
    c.state = MediationState.in_session
    db.session.flush()
    agree(c, users, actor="examiner", terms="停止销售")
    doc = ops.issue_document(c, "mediation_agreement", agreement_fields(c), actor=users["examiner"])
    words = pdf_text(doc.pdf)
    assert "经本局主持调解" in words and "加盖本局印章" in words
    assert "《专利纠纷行政裁决和调解办法》第六十九条" in words
    assert "人民调解法" not in words


@pytest.mark.parametrize(
    ("mediation_type", "expected", "absent"),
    [
        ("peoples", "《中华人民共和国人民调解法》第二十六条", "专利纠纷行政裁决和调解办法"),
        ("arbitral", "《中华人民共和国仲裁法》第五十一条", "专利纠纷行政裁决和调解办法"),
        ("court_entrusted", "《最高人民法院关于人民法院特邀调解的规定》", "专利纠纷行政裁决和调解办法"),
        ("administrative", "《专利纠纷行政裁决和调解办法》第六十七条", "人民调解法"),
    ],
)
def test_cancellation_notice_basis_and_ground_follow_the_type_and_the_step(
    app, create_case, users, mediation_type, expected, absent
):
    c = create_case(
        Channel.mediation,
        organisation="cdmed",
        actor=users["mediator"],
        received_at=NOW - timedelta(days=3),
        channel_data={"mediation_type": mediation_type},
    )
    c.state = MediationState.in_session
    db.session.flush()
    take(MEDIATION, c, "mediation_failed", actor=users["mediator"], reason="金额分歧", details={"ground": "amount"})
    rec = recorded(c, "mediation_cancellation_notice")
    assert rec.locked == {"ground": "no_agreement"} and rec.prefill == {"note": "金额分歧"}
    snap = build_snapshot(
        c,
        get_kind("mediation_cancellation_notice"),
        {"addressee": 0, "ground": "no_agreement", "note": ""},
        issued_on=date(2026, 11, 24),
    )
    basis = "、".join(snap["basis"])
    assert expected in basis and absent not in basis
    assert snap["me"] == "本中心"
    with pytest.raises(DomainError):
        ops.issue_document(
            c,
            "mediation_cancellation_notice",
            {"addressee": 0, "ground": "withdrawn", "note": ""},
            actor=users["mediator"],
        )


def test_agreement_contradicting_the_step_is_refused(centre_case, users):
    agree(centre_case, users)
    for extra, field in (
        ({"amount": "20000.00"}, "amount"),
        ({"due_on": (clock.today() + timedelta(days=60)).isoformat()}, "due_on"),
        ({"instalments": 1}, "instalments"),
        ({"terms": "被请求人停止销售涉案产品"}, "terms"),
        ({"agreed_on": (clock.today() - timedelta(days=1)).isoformat()}, "agreed_on"),
    ):
        with pytest.raises(DomainError) as refused:
            ops.issue_document(
                centre_case, "mediation_agreement", agreement_fields(centre_case, **extra), actor=users["mediator"]
            )
        assert [f for f, _ in refused.value.reasons] == [field], extra
    assert issued_count() == 0


def test_agreement_before_the_agreement_step_is_refused(centre_case, users):
    with pytest.raises(DomainError, match="Mediation agreement signed"):
        ops.issue_document(
            centre_case, "mediation_agreement", agreement_fields(centre_case, terms="停止销售"), actor=users["mediator"]
        )


def test_confirmation_application_names_the_court_of_the_step(centre_case, users):
    agree(centre_case, users)
    take(
        MEDIATION,
        centre_case,
        "apply_confirmation",
        actor=users["mediator"],
        details={"court": "成都市中级人民法院", "court_case_no": ""},
    )
    rec = recorded(centre_case, "judicial_confirmation_application")
    assert rec.locked == {"body": "成都市中级人民法院", "agreed_on": clock.today().isoformat()}
    with pytest.raises(DomainError) as refused:
        ops.issue_document(
            centre_case,
            "judicial_confirmation_application",
            {"body": "成都市锦江区人民法院", "agreed_on": clock.today().isoformat(), "note": ""},
            actor=users["mediator"],
        )
    assert [f for f, _ in refused.value.reasons] == ["body"]
    doc = ops.issue_document(
        centre_case,
        "judicial_confirmation_application",
        {"body": "成都市中级人民法院", "agreed_on": clock.today().isoformat(), "note": ""},
        actor=users["mediator"],
    )
    assert doc.snapshot["basis"] == ["《中华人民共和国人民调解法》第三十三条"]


def test_a_stored_snapshot_without_the_new_parts_still_renders(app):
    """Documents issued before: no ``me``, no ``validity``, terms as typed."""
    snap = {
        "title": "行政禁令决定书",
        "office": {"name": "成都市知识产权局"},
        "case": {"received_on": "2026-11-20", "cause": "纠纷"},
        "roles": {"requester": "申请人", "respondent": "被申请人"},
        "parties": [],
        "rights": [],
        "fields": {"reasons": "理由", "measures": "一、撤展", "valid_until": "2027-02-22"},
        "basis": ["依据"],
        "outcome_zh": "准予",
        "is_granted": True,
        "review": {"length": 10},
        "staff": {"handler": None},
        "meta": {},
        "copies": "",
        "issued_on": "2026-11-24",
    }
    out = render.render_html("injunction_decision", snap)
    assert "本局决定" in out and "一、撤展" in out and "有效期至二〇二七年二月二十二日止" in out


def test_lifting_decision_takes_the_lift_steps_day_and_reasons(injunction, users):
    grant(injunction, users)
    take(INJUNCTION, injunction, "serve", actor=users["examiner"])
    take(
        INJUNCTION,
        injunction,
        "lift",
        actor=users["director"],
        reason="主案已结",
        details={"ground": "main_case_decided"},
    )
    rec = recorded(injunction, "lifting_decision")
    assert rec.locked == {"lifted_on": clock.today().isoformat()} and rec.prefill == {"reasons": "主案已结"}
    with pytest.raises(DomainError) as refused:
        ops.issue_document(
            injunction,
            "lifting_decision",
            {"lifted_on": (clock.today() - timedelta(days=1)).isoformat(), "reasons": "主案已结"},
            actor=users["director"],
        )
    assert [f for f, _ in refused.value.reasons] == ["lifted_on"]


def test_prepare_page_before_the_decision_step_says_which_step_comes_first(app, injunction, users, client_as, text):
    take(INJUNCTION, injunction, "start_review", actor=users["examiner"])
    db.session.commit()
    client = client_as("director")
    r = client.get(f"/cases/{injunction.id}/documents/injunction_decision")
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/cases/{injunction.id}#documents")
    page = html.unescape(text(client.get(r.headers["Location"])))
    assert "take “Grant the injunction (行政禁令决定) / Refuse the application” first" in page


def test_every_numbered_list_is_numbered_once(app, case):
    """The same rule for the deficiencies, the decision's orders and the measures: the
    document's 一、二、 replace the user's own numbers."""
    fields = {"addressee": case.requesters[0].id, "defects": "1. 缺少证据目录\n（2）缺少签章", "cure_by": "2026-12-09"}
    snap = build_snapshot(case, get_kind("deficiency_notice"), fields, issued_on=date(2026, 11, 24))
    out = render.render_html("deficiency_notice", snap)
    assert "一、缺少证据目录" in out and "二、缺少签章" in out
    assert "一、1." not in out and "二、（2）" not in out
