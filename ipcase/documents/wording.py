"""Wording that depends on who speaks and under which law: how a document names its issuing
organisation and each channel names the parties, the legal basis of each mediation document by
mediation type, the numbering of agreement terms, and counts written in Chinese. Pure functions
and tables (no Flask, no database).

A people's mediation at the linkage centre is not an administrative mediation by an office: it
says 本中心 (or the organisation's name), cites the 人民调解法, and its agreement takes effect on
the mediator's signature and the committee's seal; Order 81's mediation articles are for the
office's own (administrative) mediation only."""

import re

from ipcase.documents.chinese import chinese_number

M85 = "《专利纠纷行政裁决和调解办法》"
PEOPLES_LAW = "《中华人民共和国人民调解法》"
ARBITRATION_LAW = "《中华人民共和国仲裁法》"
CIVIL_PROCEDURE_LAW = "《中华人民共和国民事诉讼法》"
INVITED_MEDIATION = "《最高人民法院关于人民法院特邀调解的规定》"
CIVIL_CODE = "《中华人民共和国民法典》"

#: party roles as each channel's documents name them
ROLE_ZH: dict[str, dict[str, str]] = {
    "adjudication": {"requester": "请求人", "respondent": "被请求人", "third_party": "第三人"},
    "mediation": {"requester": "请求人", "respondent": "被请求人", "third_party": "第三人"},
    "station": {"requester": "投诉人", "respondent": "被投诉人", "third_party": "第三人"},
    "injunction": {"requester": "申请人", "respondent": "被申请人", "third_party": "第三人"},
}

#: how a document names its own organisation, by the organisation's kind
SELF_REFERENCE: dict[str, str] = {
    "ip_office": "本局",
    "mediation_centre": "本中心",
    "protection_centre": "本中心",
    "workstation": "本工作站",
}

#: the mediation documents and the articles each type of mediation rests on
#: (type → document kind → citations). Administrative: Order 81, ch.3 ([85]63–70); people's:
#: the 人民调解法 (17: a refusal ends it, 26: termination, 28–31: the agreement, 33: confirmation);
#: arbitral: the 仲裁法 (51–52, mediation by the tribunal; 16, the arbitration agreement);
#: court-delegated / court-entrusted: the SPC's rules on invited mediation (法释〔2016〕14号) and the
#: 民事诉讼法 on confirmation (art. 205, 2023 text); commercial: the contract law of the 民法典.
MEDIATION_BASIS: dict[str, dict[str, tuple[str, ...]]] = {
    "administrative": {
        "statement_notice": (f"{M85}第六十五条",),
        "mediation_docketing_notice": (f"{M85}第六十六条",),
        "mediation_refusal_notice": (f"{M85}第六十六条",),
        "mediation_record": (f"{M85}第六十七条",),
        "mediation_cancellation_notice": (f"{M85}第六十七条", f"{M85}第六十九条"),
        "mediation_agreement": (f"{M85}第六十九条",),
        "judicial_confirmation_application": (f"{CIVIL_PROCEDURE_LAW}第二百零五条",),
        "notarisation_application": (f"{M85}第六十九条",),
        "arbitration_agreement": (f"{ARBITRATION_LAW}第十六条",),
    },
    "peoples": {
        "statement_notice": (f"{PEOPLES_LAW}第十七条",),
        "mediation_docketing_notice": (f"{PEOPLES_LAW}第十七条",),
        "mediation_refusal_notice": (f"{PEOPLES_LAW}第十七条",),
        "mediation_record": (f"{PEOPLES_LAW}第二十二条",),
        "mediation_cancellation_notice": (f"{PEOPLES_LAW}第二十六条",),
        "mediation_agreement": (f"{PEOPLES_LAW}第二十八条", f"{PEOPLES_LAW}第二十九条", f"{PEOPLES_LAW}第三十一条"),
        "judicial_confirmation_application": (f"{PEOPLES_LAW}第三十三条",),
        "notarisation_application": ("《中华人民共和国公证法》第三十七条",),
        "arbitration_agreement": (f"{ARBITRATION_LAW}第十六条",),
    },
    "arbitral": {
        "mediation_agreement": (f"{ARBITRATION_LAW}第五十一条", f"{ARBITRATION_LAW}第五十二条"),
        "mediation_cancellation_notice": (f"{ARBITRATION_LAW}第五十一条",),
        "arbitration_agreement": (f"{ARBITRATION_LAW}第十六条",),
        "judicial_confirmation_application": (f"{CIVIL_PROCEDURE_LAW}第二百零五条",),
    },
    "court_delegated": {
        "mediation_agreement": (INVITED_MEDIATION,),
        "mediation_cancellation_notice": (INVITED_MEDIATION,),
        "judicial_confirmation_application": (f"{CIVIL_PROCEDURE_LAW}第二百零五条",),
    },
    "court_entrusted": {
        "mediation_agreement": (INVITED_MEDIATION,),
        "mediation_cancellation_notice": (INVITED_MEDIATION,),
        "judicial_confirmation_application": (f"{CIVIL_PROCEDURE_LAW}第二百零五条",),
    },
    "commercial": {
        "mediation_agreement": (f"{CIVIL_CODE}第四百六十五条",),
        "judicial_confirmation_application": (f"{CIVIL_PROCEDURE_LAW}第二百零五条",),
    },
}

#: what the documents call the mediation, by type
MEDIATION_NAME: dict[str, str] = {
    "administrative": "行政调解",
    "peoples": "人民调解",
    "court_delegated": "委派调解",
    "court_entrusted": "委托调解",
    "arbitral": "仲裁调解",
    "commercial": "商事调解",
}


def self_reference(org_kind: str | None, org_name: str) -> str:
    """How a document names its own organisation: 本局 for an office, 本中心 for a centre, else its name."""
    return SELF_REFERENCE.get(org_kind or "", org_name)


def mediation_basis(mediation_type: str | None, kind: str, default: tuple[str, ...]) -> tuple[str, ...]:
    """The citations of a mediation document for the case's type of mediation; ``default`` (the
    kind's catalogue basis) for a type or kind the table does not name."""
    return MEDIATION_BASIS.get(mediation_type or "administrative", {}).get(kind, default)


def mediation_wording(mediation_type: str | None, org_kind: str | None, org_name: str) -> dict[str, str]:
    """The words of a mediation document that depend on the type and the organisation."""
    kind = mediation_type or "administrative"
    me = self_reference(org_kind, org_name)
    if kind == "peoples":
        effect = (
            f"本协议自各方当事人签名、盖章或者按指印，人民调解员签名并加盖{me}印章之日起生效，"
            "对双方当事人具有法律约束力"
        )
    elif kind == "arbitral":
        effect = (
            "本协议自双方当事人签名或者盖章之日起生效，当事人可以依据仲裁协议请求仲裁庭根据本协议制作调解书或者裁决书"
        )
    else:
        effect = f"本协议自双方当事人签字或者盖章、并加盖{me}印章之日起生效"
    presided = {
        "peoples": f"经{me}人民调解员调解",
        "arbitral": f"经{me}调解员主持调解",
        "court_delegated": f"受人民法院委派，经{me}主持调解",
        "court_entrusted": f"受人民法院委托，经{me}主持调解",
    }.get(kind, f"经{me}主持调解")
    return {
        "me": me,
        "mediation_name": MEDIATION_NAME.get(kind, "调解"),
        "presided": presided,
        "effect": effect,
    }


# -- numbering of terms -------------------------------------------------------------------------

_CN = "一二三四五六七八九十百〇零"
#: a leading enumerator: 一、 十二、 1. 1、 1) 1） (1) （1） （一） 第一条 ① …, followed by the text
_ENUMERATOR = re.compile(
    rf"^\s*(?:"
    rf"[（(]\s*(?:\d{{1,3}}|[{_CN}]{{1,4}})\s*[)）]"  # （1） (一)
    rf"|第[{_CN}\d]{{1,4}}[条项]"  # 第一条
    rf"|[{_CN}]{{1,4}}\s*[、.．]"  # 一、
    rf"|\d{{1,3}}\s*(?:[、，,)）]|[.．](?!\d))"  # 1、 1. (not 1.5) 1)
    rf"|[①-⑳]"  # ①
    rf")\s*"
)


def strip_enumerator(line: str) -> str:
    """A term without the number typed in front of it: the document numbers every term itself
    (一、二、…), so 一、停止销售 / 1. 停止销售 / （1）停止销售 all print as 一、停止销售. One
    enumerator is removed; a figure that is part of the text (1.5万元, 2026年) stays."""
    stripped = line.strip()
    rest = _ENUMERATOR.sub("", stripped, count=1)
    return rest or stripped


def numbered_terms(text: str | None) -> list[str]:
    """The non-empty lines of ``text``, each without its own enumerator (numbered by the template)."""
    return [strip_enumerator(ln) for ln in (text or "").splitlines() if ln.strip()]


def same_terms(a: str | None, b: str | None) -> bool:
    """Two term lists say the same thing, whatever their numbering and spacing."""

    def norm(text: str | None) -> list[str]:
        return ["".join(t.split()) for t in numbered_terms(text)]

    return norm(a) == norm(b)


def chinese_count(n: int) -> str:
    """A count up to 9999 in Chinese numerals: 90 → 九十, 120 → 一百二十, 105 → 一百零五."""
    if not 0 <= n <= 9999:
        raise ValueError("only 0–9999 are written this way")
    if n <= 99:
        return chinese_number(n)
    digits = "〇一二三四五六七八九"
    out = ""
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, value)
        if d:
            if zero and out:
                out += "零"
            out += digits[d] + unit
            zero = False
        elif out:
            zero = True
    return out
