"""Snapshot builders: the plain data a document is rendered from, taken from the case at issue.

A snapshot holds only strings, numbers, booleans, lists and dicts (JSON), never ORM objects, so
the stored document can be rendered again exactly and reads the same after the case changes.
Its wording is the official Chinese one whatever the reader's language: documents are issued in
Chinese (GB/T 9704), so party roles, identity documents and patent types are mapped here."""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from ipcase.cases.enums import AssignmentRole, PartyKind, PartyRole
from ipcase.cases.models import Case, Party
from ipcase.core import clock
from ipcase.deadlines.operations import rule_length
from ipcase.deadlines.rules import UnknownRule, get_rule
from ipcase.documents.chinese import chinese_date, chinese_datetime
from ipcase.documents.choices import CANCELLATION_GROUNDS, INJUNCTION_OUTCOMES, zh
from ipcase.documents.models import SERVICE_METHOD_ZH
from ipcase.documents.queries import issued_for_case
from ipcase.documents.wording import (
    ROLE_ZH,
    chinese_count,
    mediation_basis,
    mediation_wording,
    numbered_terms,
    self_reference,
)

ID_TYPE_ZH = {
    "resident_id": "居民身份证",
    "uscc": "统一社会信用代码",
    "passport": "护照",
    "hk_macao_permit": "港澳居民来往内地通行证",
    "taiwan_permit": "台湾居民来往大陆通行证",
    "other": "身份证件",
}
RIGHT_TYPE_ZH = {
    "invention": "发明专利",
    "utility_model": "实用新型专利",
    "design": "外观设计专利",
    "trademark": "注册商标专用权",
    "copyright": "著作权",
    "other": "权利",
}
AUTHORITY_ZH = {"general": "一般授权", "special": "特别授权"}
STAFF_ROLE_ZH = {
    "handler": "承办人",
    "panel_leader": "合议组组长",
    "panel_member": "合议组成员",
    "clerk": "书记员",
    "mediator": "调解员",
    "tech_investigator": "技术调查官",
}
ALL_PARTIES_ZH = "各方当事人"


def cite(*citations: str) -> list[str]:
    """Citations with consecutive articles of one instrument merged:
    《办法》第十二条 + 《办法》第二十条 → 《办法》第十二条、第二十条."""
    merged: list[str] = []
    last_instrument = None
    for citation in citations:
        match = re.match(r"^(《[^》]+》)(.*)$", citation)
        instrument, article = (match.group(1), match.group(2)) if match else (None, citation)
        if instrument and instrument == last_instrument and article and merged:
            if article not in merged[-1]:
                merged[-1] += f"、{article}"
            continue
        merged.append(citation)
        last_instrument = instrument
    return merged


def basis_text(entry: str) -> str:
    """A kind's basis entry: ``rule:<id>`` is the current citation of that rule in the catalogue."""
    if entry.startswith("rule:"):
        return get_rule(entry[5:]).basis
    return entry


def rule_period(case: Case, rule_id: str) -> dict[str, Any]:
    """A period's current length for the case's organisation, with its basis."""
    rule = get_rule(rule_id)
    return {"length": rule_length(rule, case.organisation_id), "unit": str(rule.unit), "basis": rule.basis}


def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return clock.to_local(value).date().isoformat()
    return value.isoformat()


def party_data(party: Party, channel: str) -> dict[str, Any]:
    return {
        "id": party.id,
        "role": party.role.value,
        "role_zh": ROLE_ZH.get(channel, ROLE_ZH["adjudication"])[party.role.value],
        "kind": party.kind.value,
        "is_person": party.kind == PartyKind.natural_person,
        "name": party.name,
        "id_type_zh": ID_TYPE_ZH.get(party.id_type.value, "") if party.id_type else "",
        "id_number": party.id_number,
        "legal_rep_name": party.legal_rep_name,
        "legal_rep_title": party.legal_rep_title,
        "address": party.address,
        "postcode": party.postcode,
        "phone": party.phone,
        "has_domestic_domicile": party.has_domestic_domicile,
        "agents": [
            {
                "name": a.name,
                "firm": a.firm,
                "address": a.address,
                "phone": a.phone,
                "authority_zh": AUTHORITY_ZH.get(a.authority.value, ""),
            }
            for a in party.agents
        ],
    }


def case_snapshot(case: Case) -> dict[str, Any]:
    """The parts of every document that come from the case file."""
    channel = str(case.channel)
    org = case.organisation
    staff = [
        {"name": a.user.display_name, "role": a.role.value, "role_zh": STAFF_ROLE_ZH[a.role.value]}
        for a in case.assignments
    ]
    handler = next(
        (a.user for a in case.assignments if a.role in (AssignmentRole.handler, AssignmentRole.mediator)), None
    ) or next((a.user for a in case.assignments if a.role == AssignmentRole.panel_leader), None)
    channel_fields = {
        key: str(getattr(case, key) or "")
        for key in ("requests", "accused_product", "booth", "platform_link", "urgency_facts", "requested_measures")
        if hasattr(case, key)
    }
    if getattr(case, "bond_amount", None) is not None:
        channel_fields["bond"] = f"{case.bond_amount:,.2f}元" + (f"（{case.bond_form}）" if case.bond_form else "")
    if getattr(case, "mediation_type", None) is not None:
        channel_fields["mediation_type"] = str(case.mediation_type)
    return {
        "office": {
            "name": org.name,
            "abbr": org.abbr,
            "address": org.address,
            "postcode": org.postcode,
            "phone": org.phone,
        },
        "case": {
            "id": case.id,
            "number": case.number or "",
            "cause": case.title,
            "channel": channel,
            "received_on": _iso(case.received_at),
            "docketed_on": _iso(case.docketed_at),
            "closed_on": _iso(case.closed_at),
            **channel_fields,
        },
        "roles": ROLE_ZH.get(channel, ROLE_ZH["adjudication"]),
        "parties": [party_data(p, channel) for p in case.parties],
        "rights": [
            {
                "number": r.number,
                "title": r.title,
                "holder": r.holder,
                "type_zh": RIGHT_TYPE_ZH.get(r.patent_type.value if r.patent_type else r.right_type.value, ""),
                "filed_on": _iso(r.filed_on),
                "granted_on": _iso(r.granted_on),
                "asserted_claims": r.asserted_claims,
            }
            for r in case.rights
        ],
        "staff": {
            "all": staff,
            "panel": [s for s in staff if s["role"] in ("panel_leader", "panel_member")],
            "clerk": [s for s in staff if s["role"] == "clerk"],
            "mediators": [s for s in staff if s["role"] == "mediator"],
            "handler": {"name": handler.display_name, "phone": handler.phone} if handler else None,
        },
    }


def addressee(case: Case, party_id: Any) -> dict[str, Any] | None:
    """The party a document is addressed to; ``0`` means all parties; None when not addressed."""
    if party_id is None:
        return None
    if party_id == 0:
        return {"name": ALL_PARTIES_ZH, "role": "all"}
    party = next((p for p in case.parties if p.id == party_id), None)
    return party_data(party, str(case.channel)) if party else None


def copies_note(snap: dict[str, Any], *, internal: bool) -> str:
    """The 版记 line on copies and distribution (domain.md §7)."""
    if internal:
        return "本表一式一份，存档。"
    target = snap.get("addressee")
    if target and target.get("role") != "all":
        return f"本文书一式两份，一份送达{target['name']}，一份存档。"
    return f"本文书一式{len(snap['parties']) + 1}份，当事人各执一份，一份存档。"


def build_snapshot(case: Case, kind_def: Any, fields: dict[str, Any], *, issued_on: date) -> dict[str, Any]:
    """Everything the kind's template needs, as plain data: the case part, the staff-entered
    variable parts (``fields``), the legal basis of the current rules and the kind's extras."""
    snap = case_snapshot(case)
    snap.update(
        {
            "kind": kind_def.key,
            "title": kind_def.title,
            "fields": dict(fields),
            "issued_on": issued_on.isoformat(),
            "basis": cite(*(basis_text(b) for b in kind_def.basis)),
            "addressee": addressee(case, fields.get("addressee")),
            "cc": "",
            "meta": {},
        }
    )
    snap.update(speaker_parts(case, kind_def))
    if kind_def.builder is not None:
        snap.update(kind_def.builder(case, fields, snap))
    snap["copies"] = copies_note(snap, internal=kind_def.internal)
    return snap


#: the mediation documents whose wording and basis follow the type of mediation
MEDIATION_KINDS = frozenset(
    {
        "statement_notice",
        "mediation_docketing_notice",
        "mediation_refusal_notice",
        "mediation_record",
        "mediation_cancellation_notice",
        "mediation_agreement",
        "judicial_confirmation_application",
        "notarisation_application",
        "arbitration_agreement",
    }
)


def speaker_parts(case: Case, kind_def: Any) -> dict[str, Any]:
    """How the document names its organisation (本局, 本中心 or its name: ``me``) and, for a
    mediation document, the wording and the legal basis of the case's type of mediation."""
    org = case.organisation
    org_kind = str(getattr(org.kind, "value", org.kind)) if org.kind is not None else None
    parts: dict[str, Any] = {"me": self_reference(org_kind, org.name)}
    if kind_def.key not in MEDIATION_KINDS:
        return parts
    mediation_type = getattr(case, "mediation_type", None)
    type_value = str(getattr(mediation_type, "value", mediation_type)) if mediation_type else "administrative"
    wording = mediation_wording(type_value, org_kind, org.name)
    parts["mediation"] = wording | {"type": type_value}
    if str(case.channel) == "mediation":
        default = tuple(basis_text(b) for b in kind_def.basis)
        parts["basis"] = cite(*mediation_basis(type_value, kind_def.key, default))
    return parts


# -- extras per kind: computed parts (periods, choices in Chinese, referenced documents) --------


def when(value: str | None) -> str:
    """A form's local date-time (``YYYY-MM-DDTHH:MM``) in Chinese."""
    return chinese_datetime(datetime.fromisoformat(value)) if value else ""


def zh_choice(table: list[tuple[str, Any, str]], key: str) -> Any:
    def extra(case: Case, fields: dict[str, Any], snap: dict[str, Any]) -> dict[str, Any]:
        value = fields.get(key)
        words = zh(table)
        if isinstance(value, list):
            return {f"{key}_zh": [words.get(v, v) for v in value], f"{key}_all": [t[2] for t in table]}
        return {f"{key}_zh": words.get(value, value or "")}

    return extra


def defence_extra(case: Case, fields: dict[str, Any], snap: dict[str, Any]) -> dict[str, Any]:
    """15 days, or 30 for a respondent without a domicile in China ([85]22)."""
    abroad = any(not p.has_domestic_domicile for p in case.respondents)
    return {"period": rule_period(case, "adj.defence_abroad" if abroad else "adj.defence"), "is_abroad": abroad}


def hearing_extra(case: Case, fields: dict[str, Any], snap: dict[str, Any]) -> dict[str, Any]:
    # the reply slip within 3 days of receipt, a change of date asked 3 days ahead ([78])
    return {
        "hearing_when": when(fields.get("hearing_at")),
        "reply_days": rule_period(case, "adj.hearing_reply")["length"],
        "reschedule_days": rule_period(case, "adj.reschedule_request")["length"],
    }


def decision_extra(case: Case, fields: dict[str, Any], snap: dict[str, Any]) -> dict[str, Any]:
    return {"lawsuit": rule_period(case, "adj.lawsuit_window")}


def cancellation_extra(case: Case, fields: dict[str, Any], snap: dict[str, Any]) -> dict[str, Any]:
    return zh_choice(CANCELLATION_GROUNDS, "ground")(case, fields, snap) | decision_extra(case, fields, snap)


def demand_extra(case: Case, fields: dict[str, Any], snap: dict[str, Any]) -> dict[str, Any]:
    return {"period": rule_period(case, "adj.performance_demand")}


def service_receipt_extra(case: Case, fields: dict[str, Any], snap: dict[str, Any]) -> dict[str, Any]:
    wanted = set(fields.get("documents") or [])
    docs = [
        {"title": d.title, "number": d.number, "issued_on": _iso(d.issued_at)}
        for d in issued_for_case(case)
        if d.id in wanted
    ]
    return {"served_documents": docs, "methods_zh": list(SERVICE_METHOD_ZH.values())}


def statement_extra(case: Case, fields: dict[str, Any], snap: dict[str, Any]) -> dict[str, Any]:
    return {"period": rule_period(case, "med.respondent_statement")}


def mediation_docketing_extra(case: Case, fields: dict[str, Any], snap: dict[str, Any]) -> dict[str, Any]:
    return {"session_when": when(fields.get("session_at"))}


def record_extra(case: Case, fields: dict[str, Any], snap: dict[str, Any]) -> dict[str, Any]:
    return {"session_when": when(fields.get("session_at"))}


def supplement_extra(case: Case, fields: dict[str, Any], snap: dict[str, Any]) -> dict[str, Any]:
    return {"supply_when": when(fields.get("supply_by"))}


def respondent_notice_extra(case: Case, fields: dict[str, Any], snap: dict[str, Any]) -> dict[str, Any]:
    return {"period": rule_period(case, "sta.respondent_response")}


def confirmation_extra(case: Case, fields: dict[str, Any], snap: dict[str, Any]) -> dict[str, Any]:
    return {"period": rule_period(case, "med.judicial_confirmation")}


def injunction_extra(case: Case, fields: dict[str, Any], snap: dict[str, Any]) -> dict[str, Any]:
    """The outcome in Chinese, and for a grant how long the injunction lasts as the grant step
    recorded it: from the day after the grant (P1) to its expiry day."""
    try:
        review_application = rule_period(case, "inj.review_application")
    except UnknownRule:
        review_application = {"length": 5, "unit": "days", "basis": ""}
    granted = fields.get("outcome") == "granted"
    validity: dict[str, Any] = {}
    granted_at = getattr(case, "granted_at", None)
    days = getattr(case, "duration_days", None)
    if granted and granted_at is not None and days:
        validity = {
            "days": days,
            "days_zh": chinese_count(days),
            "from": (clock.local_day(granted_at) + timedelta(days=1)).isoformat(),
        }
    return zh_choice(INJUNCTION_OUTCOMES, "outcome")(case, fields, snap) | {
        "review": rule_period(case, "inj.review_decision"),
        "review_application": review_application,
        "is_granted": granted,
        "validity": validity,
        # the applicant's own periods after a grant (issue 12): the follow-on request or suit, and
        # renewal asked within the 7 days before expiry ([BQ]13 by analogy)
        "follow_on": rule_period(case, "inj.follow_on_filing"),
        "renewal_basis": rule_period(case, "inj.renewal")["basis"],
    }


def agreement_extra(case: Case, fields: dict[str, Any], snap: dict[str, Any]) -> dict[str, Any]:
    """The agreement's terms numbered once: the payment clause from the compensation agreed
    (amount, due date, instalments), then the other terms without the numbers typed in front."""
    terms: list[str] = []
    try:
        amount = Decimal(str(fields.get("amount"))) if fields.get("amount") not in (None, "") else None
    except InvalidOperation:
        amount = None
    if amount is not None and amount > 0:
        payer = "、".join(p.name for p in case.respondents) or snap["roles"]["respondent"]
        payee = "、".join(p.name for p in case.requesters) or snap["roles"]["requester"]
        due = fields.get("due_on")
        n = fields.get("instalments") or 1
        when_paid = f"于{chinese_date_of(due)}前" if due else ""
        split = f"，分{chinese_count(int(n))}期支付" if int(n) > 1 else ""
        terms.append(
            f"{snap['roles']['respondent']}{payer}{when_paid}向{snap['roles']['requester']}{payee}支付人民币{amount:,.2f}元{split}。"
        )
    terms.extend(numbered_terms(fields.get("terms")))
    return {"terms": terms}


def chinese_date_of(value: Any) -> str:
    return chinese_date(date.fromisoformat(value) if isinstance(value, str) else value)


def respondent_first(case: Case) -> Party | None:
    found = case.parties_in(PartyRole.respondent)
    return found[0] if found else None
