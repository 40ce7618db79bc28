"""The recusal rules of [85]5 and the IPC helpers, as tables (pure: no app, no database)."""

from datetime import date

import pytest

from ipcase.core import ipc
from ipcase.core.identifiers import patent_check_char
from ipcase.pools import rules
from ipcase.pools.rules import (
    AgentFact,
    CaseFacts,
    Declared,
    Ground,
    PartyFact,
    Period,
    Person,
    Relation,
    RightFact,
    Severity,
)

G, S = Ground, Severity
ON = date(2026, 11, 24)
PATENT = "ZL201710601862.3"
OTHER_DIGITS = "202010123456"
OTHER_PATENT = f"ZL{OTHER_DIGITS}.{patent_check_char(OTHER_DIGITS)}"
REQUESTER_USCC = "91350100M000100Y43"

CASE = CaseFacts(
    parties=(
        PartyFact(
            "成都某某科技有限公司",
            "requester",
            id_number=REQUESTER_USCC,
            user_id=50,
            agents=(AgentFact("李律师", "四川某律师事务所", user_id=60),),
        ),
        PartyFact("王五", "respondent", id_number="11010519491231002X"),
        PartyFact("Sichuan Foo Co., Ltd.", "third_party"),
    ),
    rights=(
        RightFact(PATENT, "成都某某科技有限公司"),
        RightFact("ZL201820123456.0", "某某控股集团有限公司"),
    ),
)


def declared(kind: Relation, counterpart: str, **kw) -> Person:
    return Person(user_id=7, name="周志远", declarations=(Declared(kind, counterpart, **kw),))


def summary(findings):
    """(ground, severity, code, matched target) per finding, in the order given."""
    return [(f.ground, f.severity, f.code, f.detail.get("match", {}).get("target")) for f in findings]


#: (what, person, expected findings as (ground, severity, code, target))
TABLE = [
    ("nobody known", Person(user_id=7, name="周志远"), []),
    (
        "the requester's own account",
        Person(user_id=50, name="张三"),
        [(G.party_or_relative, S.refuse, "is_party", "party")],
    ),
    ("an agent's own account", Person(user_id=60, name="张三"), [(G.other_relation, S.refuse, "is_agent", "agent")]),
    (
        "same name as the respondent",
        Person(user_id=7, name="王五"),
        [(G.party_or_relative, S.warn, "same_name", "party")],
    ),
    (
        "same name, full-width space",
        Person(user_id=7, name="王\u3000五"),
        [(G.party_or_relative, S.warn, "same_name", "party")],
    ),
    ("same name as an agent", Person(user_id=7, name="李律师"), [(G.other_relation, S.warn, "same_name", "agent")]),
    (
        "relative of the respondent",
        declared(Relation.relative_of, "王五"),
        [(G.party_or_relative, S.refuse, "declared", "party")],
    ),
    (
        "relative of an agent",
        declared(Relation.relative_of, "李律师"),
        [(G.party_or_relative, S.refuse, "declared", "agent")],
    ),
    ("relative of a stranger", declared(Relation.relative_of, "赵六"), []),
    (
        "works for the requester (other company form)",
        declared(Relation.employed_by, "成都某某科技股份有限公司"),
        [(G.interest, S.refuse, "declared", "party")],
    ),
    (
        "worked for the requester until 2020",
        declared(Relation.employed_by, "成都某某科技有限公司", until_on=date(2020, 1, 1)),
        [(G.interest, S.warn, "declared_ended", "party")],
    ),
    (
        "works there until a day still to come",
        declared(Relation.employed_by, "成都某某科技有限公司", until_on=date(2027, 1, 1)),
        [(G.interest, S.refuse, "declared", "party")],
    ),
    (
        "works for the third party (English company form)",
        declared(Relation.employed_by, "SICHUAN FOO COMPANY LIMITED"),
        [(G.interest, S.refuse, "declared", "party")],
    ),
    (
        "shares in the requester, by its credit code",
        declared(Relation.holds_shares, "9135 0100 M000 100Y 43"),
        [(G.interest, S.refuse, "declared", "party")],
    ),
    (
        "shares in the holder of the second patent",
        declared(Relation.holds_shares, "某某控股集团"),
        [(G.interest, S.refuse, "declared", "holder")],
    ),
    (
        "the patent's attorney, number typed with spaces",
        declared(Relation.attorney_for_patent, "2017 1 0601862.3"),
        [(G.prior_involvement, S.refuse, "declared", "right")],
    ),
    (
        "the patent's examiner",
        declared(Relation.examiner_of_patent, PATENT),
        [(G.prior_involvement, S.refuse, "declared", "right")],
    ),
    ("examiner of another patent", declared(Relation.examiner_of_patent, OTHER_PATENT), []),
    (
        "attorney for the requester as a client",
        declared(Relation.attorney_for_patent, "成都某某科技有限公司"),
        [(G.other_relation, S.warn, "declared", "party")],
    ),
    (
        "gifts from the agent's firm",
        declared(Relation.gifts_from, "四川某律师事务所"),
        [(G.gifts, S.refuse, "declared", "firm")],
    ),
    ("gifts from a stranger", declared(Relation.gifts_from, "某餐厅"), []),
    (
        "other relationship with the respondent",
        declared(Relation.other, "王五"),
        [(G.other_relation, S.warn, "declared", "party")],
    ),
    (
        "employer on the profile is the second patent's holder",
        Person(user_id=7, name="周志远", employer="某某控股集团有限公司"),
        [(G.interest, S.refuse, "employer", "holder")],
    ),
    (
        "employer on the profile is the agent's firm",
        Person(user_id=7, name="周志远", employer="四川某律师事务所"),
        [(G.other_relation, S.warn, "employer", "firm")],
    ),
    (
        "interests mention the requester",
        Person(user_id=7, name="周志远", declared_interests="2019年曾为成都某某科技提供技术咨询"),
        [(G.other_relation, S.warn, "interests", "party")],
    ),
    (
        "interests mention the patent",
        Person(user_id=7, name="周志远", declared_interests="参与过 2017 1 0601862.3 的无效宣告"),
        [(G.other_relation, S.warn, "interests", "right")],
    ),
    ("interests unrelated", Person(user_id=7, name="周志远", declared_interests="西南交通大学教授"), []),
    (
        "withdrawn from the pool",
        Person(user_id=7, name="周志远", is_available=False),
        [(G.availability, S.warn, "not_available", None)],
    ),
    (
        "away on the day",
        Person(user_id=7, name="周志远", unavailable=(Period(date(2026, 11, 20), ON, "出差"),)),
        [(G.availability, S.warn, "unavailable", None)],
    ),
    (
        "away until the day before",
        Person(user_id=7, name="周志远", unavailable=(Period(date(2026, 11, 1), date(2026, 11, 23)),)),
        [],
    ),
    (
        "a refusal comes before a warning",
        Person(
            user_id=7,
            name="王五",
            declarations=(Declared(Relation.examiner_of_patent, PATENT),),
        ),
        [(G.prior_involvement, S.refuse, "declared", "right"), (G.party_or_relative, S.warn, "same_name", "party")],
    ),
]


@pytest.mark.parametrize(("person", "expected"), [(p, e) for _, p, e in TABLE], ids=[t[0] for t in TABLE])
def test_check(person, expected):
    assert summary(rules.check(person, CASE, ON)) == expected


def test_one_finding_per_declaration_the_most_telling_match():
    """The requester is also the patent's holder: one finding, naming the requester."""
    findings = rules.check(declared(Relation.employed_by, "成都某某科技有限公司"), CASE, ON)
    assert len(findings) == 1
    assert findings[0].detail["match"] == {"target": "party", "name": "成都某某科技有限公司", "role": "requester"}
    assert findings[0].detail["counterpart"] == "成都某某科技有限公司"


def test_the_finding_names_the_right_and_the_end_date():
    finding = rules.check(declared(Relation.attorney_for_patent, "ZL 2017 1 0601862.3"), CASE, ON)[0]
    assert finding.detail["match"] == {"target": "right", "number": PATENT}
    ended = rules.check(declared(Relation.holds_shares, "成都某某科技", until_on=date(2024, 5, 1)), CASE, ON)
    assert summary(ended) == [(G.interest, S.warn, "declared_ended", "party")]
    assert ended[0].detail["until"] == "2024-05-01"


def test_unavailable_period_gives_its_dates():
    person = Person(user_id=7, name="x", unavailable=(Period(date(2026, 11, 20), date(2026, 11, 30), "出差"),))
    (finding,) = rules.check(person, CASE, ON)
    assert finding.detail == {"from": "2026-11-20", "to": "2026-11-30", "reason": "出差", "on": "2026-11-24"}
    assert not rules.is_available(person, ON)
    assert rules.is_available(person, date(2026, 12, 1))


def test_every_relation_has_a_row_of_known_targets():
    assert set(rules.DECLARED) == set(Relation)
    for row in rules.DECLARED.values():
        assert set(row) <= set(rules.TARGETS)


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("成都某某科技有限公司", "成都某某科技"),
        ("成都某某科技股份有限公司", "成都某某科技"),
        ("成都某某科技有限责任公司", "成都某某科技"),
        ("Sichuan Foo Co., Ltd.", "sichuanfoo"),
        ("SICHUAN FOO CO LTD", "sichuanfoo"),
        ("Sichuan Foo Company Limited", "sichuanfoo"),
        ("Ｔｅｓｃｏ", "tesco"),  # full-width; "co" inside a word is not a company form
        ("Foo Inc.", "foo"),
        ("王　五", "王五"),
        ("有限公司", "有限公司"),  # nothing but the suffix: kept, so it matches no real name
        ("", ""),
    ],
)
def test_name_key(raw, key):
    assert rules.name_key(raw) == key


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("H04L", "H04L"),
        ("h04l", "H04L"),
        ("A61K 31/00", "A61K 31/00"),
        ("A61K31/00", "A61K 31/00"),
        ("A61K 031/00", "A61K 31/00"),
        ("Ａ６１Ｋ　３１／００", "A61K 31/00"),
        ("C07D 401/14", "C07D 401/14"),
        ("A61K 31/4439", "A61K 31/4439"),
    ],
)
def test_parse_ipc(raw, canonical):
    assert ipc.parse_ipc(raw) == canonical


@pytest.mark.parametrize("raw", ["", "H04", "I01L", "H4L", "A61K 31", "A61K 31/0", "A61K31/00/1", "ZL2017", "H04LL"])
def test_parse_ipc_refuses(raw):
    with pytest.raises(ipc.InvalidIPC):
        ipc.parse_ipc(raw)


def test_parse_ipc_list():
    assert ipc.parse_ipc_list("H04L, a61k31/00；H04L\nG06F 16/00") == ["H04L", "A61K 31/00", "G06F 16/00"]
    assert ipc.parse_ipc_list(" ") == []
    with pytest.raises(ipc.InvalidIPC):
        ipc.parse_ipc_list("H04L, nonsense")


@pytest.mark.parametrize(
    ("raw", "prefix"),
    [
        ("h", "H"),
        ("H04", "H04"),
        ("H04L", "H04L"),
        ("A61K31", "A61K 31"),
        ("A61K 31/", "A61K 31/"),
        ("a61k 31/00", "A61K 31/00"),
    ],
)
def test_ipc_prefix(raw, prefix):
    assert ipc.ipc_prefix(raw) == prefix


@pytest.mark.parametrize("raw", ["X", "H0L", "31/00", "H04L%", "H04L_"])
def test_ipc_prefix_refuses(raw):
    with pytest.raises(ipc.InvalidIPC):
        ipc.ipc_prefix(raw)


@pytest.mark.parametrize(
    ("a", "b", "affinity"),
    [
        ("A47C 4/00", "A47C 4/02", 3),
        ("A47C 4/00", "A47C 7/00", 2),
        ("A47C", "A47C 4/00", 2),
        ("A47C", "A47B", 1),
        ("A47C", "H04L", 0),
        ("", "H04L", 0),
    ],
)
def test_ipc_affinity(a, b, affinity):
    assert ipc.ipc_affinity(a, b) == affinity
    assert ipc.ipc_affinity(b, a) == affinity
