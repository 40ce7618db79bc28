"""Recusal ([85]5) and availability checks for putting a person on a case.

Pure: no Flask, no database. The operations turn a user, their pool profile and a case into the
plain facts below; :func:`check` returns findings, each with a ground of [85]5, a severity
(``refuse``: the assignment is not made; ``warn``: it is made only once the assigner confirms
having read the warning) and the match that fired, which the messages module words.

Legal basis: 《专利纠纷行政裁决和调解办法》 (令第81号) art. 5 — an official, technical
investigator, clerk, interpreter, appraiser or assistant withdraws when they are a party or a
close relative of a party or its agent, have an interest in the patent or the case, acted in the
matter before (the patent's attorney or examiner), have another relationship with a party or
agent that may affect a fair handling, or accepted gifts or hospitality (domain.md §2.1 A5, §8).

Severities (a local choice, configurable by editing :data:`DECLARED`):

- a **declared** relation that is one of the grounds of [85]5 refuses: the person said so
  themselves and the rule leaves no discretion;
- what only **looks** like a ground warns: the same name as a party (names repeat), a relation
  that has ended, or "other relationship", which [85]5 makes depend on whether it may affect a
  fair handling, a judgement the assigner makes and answers for;
- **unavailability** on the assignment date warns, never refuses: it is a matter of planning,
  not a legal bar, and urgent work may need the person anyway.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ipcase.core.enums import LabelledEnum
from ipcase.core.identifiers import InvalidIdentifier, parse_patent_number


class Ground(LabelledEnum):
    """Why a person should not take part; the first five are those of [85]5."""

    party_or_relative = "party_or_relative"
    interest = "interest"
    prior_involvement = "prior_involvement"
    other_relation = "other_relation"
    gifts = "gifts"
    availability = "availability"


class Severity(LabelledEnum):
    refuse = "refuse"
    warn = "warn"


class Relation(LabelledEnum):
    """A relation a person declares on their pool profile."""

    relative_of = "relative_of"
    employed_by = "employed_by"
    holds_shares = "holds_shares"
    attorney_for_patent = "attorney_for_patent"
    examiner_of_patent = "examiner_of_patent"
    gifts_from = "gifts_from"
    other = "other"


#: what in the case a declared counterpart or a name matched, most telling first
TARGETS = ("right", "party", "agent", "firm", "holder")

R, W = Severity.refuse, Severity.warn
#: declared relation → matched target → (ground, severity while it lasts, severity once ended);
#: a target missing from a relation's row is no finding (a relative of a patent number is nonsense)
DECLARED: dict[Relation, dict[str, tuple[Ground, Severity, Severity]]] = {
    Relation.relative_of: {
        "party": (Ground.party_or_relative, R, R),
        "agent": (Ground.party_or_relative, R, R),
        "holder": (Ground.interest, W, W),
    },
    Relation.employed_by: {
        "party": (Ground.interest, R, W),
        "holder": (Ground.interest, R, W),
        "firm": (Ground.other_relation, W, W),
        "agent": (Ground.other_relation, W, W),
    },
    Relation.holds_shares: {
        "party": (Ground.interest, R, W),
        "holder": (Ground.interest, R, W),
        "firm": (Ground.other_relation, W, W),
    },
    Relation.attorney_for_patent: {
        "right": (Ground.prior_involvement, R, R),
        "party": (Ground.other_relation, W, W),
        "holder": (Ground.other_relation, W, W),
    },
    Relation.examiner_of_patent: {
        "right": (Ground.prior_involvement, R, R),
    },
    Relation.gifts_from: {
        "party": (Ground.gifts, R, R),
        "agent": (Ground.gifts, R, R),
        "firm": (Ground.gifts, R, R),
        "holder": (Ground.gifts, R, R),
    },
    Relation.other: {
        "right": (Ground.other_relation, W, W),
        "party": (Ground.other_relation, W, W),
        "agent": (Ground.other_relation, W, W),
        "firm": (Ground.other_relation, W, W),
        "holder": (Ground.other_relation, W, W),
    },
}
#: relations that can end (an ended one is judged with the third column of DECLARED)
ENDING = frozenset({Relation.employed_by, Relation.holds_shares})
#: the employer on the profile, read as a current "employed by" declaration
EMPLOYER = DECLARED[Relation.employed_by]


# -- the facts the rules see ------------------------------------------------------------------


@dataclass(frozen=True)
class Declared:
    kind: Relation
    counterpart: str
    since_on: date | None = None
    until_on: date | None = None


@dataclass(frozen=True)
class Period:
    from_on: date
    to_on: date
    reason: str = ""


@dataclass(frozen=True)
class Person:
    """Who is to be assigned; without a pool profile only ``user_id`` and ``name`` are known."""

    user_id: int | None
    name: str
    employer: str = ""
    declared_interests: str = ""
    declarations: tuple[Declared, ...] = ()
    is_available: bool = True
    unavailable: tuple[Period, ...] = ()


@dataclass(frozen=True)
class AgentFact:
    name: str
    firm: str = ""
    user_id: int | None = None


@dataclass(frozen=True)
class PartyFact:
    name: str
    #: requester, respondent or third_party
    role: str
    id_number: str = ""
    user_id: int | None = None
    agents: tuple[AgentFact, ...] = ()


@dataclass(frozen=True)
class RightFact:
    number: str
    holder: str = ""


@dataclass(frozen=True)
class CaseFacts:
    parties: tuple[PartyFact, ...] = ()
    rights: tuple[RightFact, ...] = ()


@dataclass(frozen=True)
class Finding:
    """``code`` says which check fired (and which message words it); ``detail`` holds the
    match as plain strings: ``match`` describes what in the case matched (see :data:`TARGETS`)."""

    ground: Ground
    severity: Severity
    code: str
    detail: dict[str, Any] = field(default_factory=dict)


# -- normalising names and numbers -----------------------------------------------------------

_CN_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司")
_EN_SUFFIX = re.compile(
    r"[\s,.]*\b(co\.?,?\s*ltd\.?|company\s+limited|limited|ltd\.?|inc\.?|incorporated|corp\.?|corporation"
    r"|gmbh|llc|l\.l\.c\.|co\.?)\s*$"
)


def name_key(name: str) -> str:
    """A name as compared: NFKC (full-width → half-width), case-folded, without the company-form
    suffix (有限公司, 股份有限公司, Co., Ltd. …), whitespace and punctuation."""
    text = unicodedata.normalize("NFKC", name or "").casefold().strip()
    while True:
        before = text
        text = _EN_SUFFIX.sub("", text).strip(" ,.;()")
        for suffix in _CN_SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)]
        if text == before:
            break
    return "".join(c for c in text if not unicodedata.category(c).startswith(("P", "Z", "S", "C")))


def code_key(value: str) -> str:
    """An identifier as compared (document or registration number): NFKC, upper case, no spaces."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", value or "")).upper()


def patent_key(value: str) -> str | None:
    """The canonical patent number written in ``value``, or None when it is not one."""
    try:
        return parse_patent_number(value).canonical
    except InvalidIdentifier:
        return None


#: a name shorter than this (after normalising) never matches: one character says nothing
MIN_NAME = 2


# -- the checks -------------------------------------------------------------------------------


def _party_match(party: PartyFact) -> dict[str, Any]:
    return {"target": "party", "name": party.name, "role": party.role}


def _agent_match(agent: AgentFact, party: PartyFact) -> dict[str, Any]:
    return {"target": "agent", "name": agent.name, "party": party.name}


def _firm_match(agent: AgentFact, party: PartyFact) -> dict[str, Any]:
    return {"target": "firm", "name": agent.firm, "agent": agent.name, "party": party.name}


def matches(counterpart: str, case: CaseFacts) -> list[dict[str, Any]]:
    """Everything in the case a declared counterpart (a name, document or patent number) names."""
    found: list[dict[str, Any]] = []
    patent = patent_key(counterpart)
    code = code_key(counterpart)
    key = name_key(counterpart)
    named = len(key) >= MIN_NAME
    for right in case.rights:
        if (patent and right.number == patent) or (code and code_key(right.number) == code):
            found.append({"target": "right", "number": right.number})
    for party in case.parties:
        if (named and name_key(party.name) == key) or (code and party.id_number and code_key(party.id_number) == code):
            found.append(_party_match(party))
        for agent in party.agents:
            if named and name_key(agent.name) == key:
                found.append(_agent_match(agent, party))
            if named and agent.firm and name_key(agent.firm) == key:
                found.append(_firm_match(agent, party))
    for right in case.rights:
        if named and right.holder and name_key(right.holder) == key:
            found.append({"target": "holder", "name": right.holder, "number": right.number})
    return found


def _strongest(
    candidates: list[tuple[Ground, Severity, dict[str, Any]]],
) -> tuple[Ground, Severity, dict[str, Any]] | None:
    """The most severe (ground, severity, match); on a tie the most telling target."""
    if not candidates:
        return None
    return min(candidates, key=lambda c: (c[1] != Severity.refuse, TARGETS.index(c[2]["target"])))


def _is_current(declared: Declared, on: date) -> bool:
    return declared.until_on is None or declared.until_on >= on


def _declared_findings(person: Person, case: CaseFacts, on: date) -> list[Finding]:
    findings = []
    for declared in person.declarations:
        row = DECLARED.get(declared.kind, {})
        current = declared.kind not in ENDING or _is_current(declared, on)
        candidates = []
        for match in matches(declared.counterpart, case):
            if match["target"] in row:
                ground, while_current, once_ended = row[match["target"]]
                candidates.append((ground, while_current if current else once_ended, match))
        best = _strongest(candidates)
        if best is not None:
            detail = {"relation": declared.kind.value, "counterpart": declared.counterpart, "match": best[2]}
            if not current and declared.until_on is not None:
                detail["until"] = declared.until_on.isoformat()
            findings.append(Finding(best[0], best[1], "declared" if current else "declared_ended", detail))
    return findings


def _employer_findings(person: Person, case: CaseFacts) -> list[Finding]:
    if not person.employer:
        return []
    candidates = []
    for match in matches(person.employer, case):
        if match["target"] in EMPLOYER:
            ground, severity, _ended = EMPLOYER[match["target"]]
            candidates.append((ground, severity, match))
    best = _strongest(candidates)
    if best is None:
        return []
    return [Finding(best[0], best[1], "employer", {"employer": person.employer, "match": best[2]})]


def _identity_findings(person: Person, case: CaseFacts) -> list[Finding]:
    """The person themselves in the case: by their account (refuse) or by their name (warn)."""
    findings = []
    key = name_key(person.name)
    named = len(key) >= MIN_NAME
    for party in case.parties:
        if person.user_id is not None and party.user_id == person.user_id:
            findings.append(Finding(Ground.party_or_relative, R, "is_party", {"match": _party_match(party)}))
        elif named and name_key(party.name) == key:
            findings.append(Finding(Ground.party_or_relative, W, "same_name", {"match": _party_match(party)}))
        for agent in party.agents:
            if person.user_id is not None and agent.user_id == person.user_id:
                findings.append(Finding(Ground.other_relation, R, "is_agent", {"match": _agent_match(agent, party)}))
            elif named and name_key(agent.name) == key:
                findings.append(Finding(Ground.other_relation, W, "same_name", {"match": _agent_match(agent, party)}))
    return findings


def _interests_findings(person: Person, case: CaseFacts) -> list[Finding]:
    """Free-text interests that mention a party, agent, firm, holder or patent of the case."""
    text = person.declared_interests
    if not text.strip():
        return []
    text_key = name_key(text)
    text_code = code_key(text).replace("ZL", "").replace(".", "")
    found: dict[str, dict[str, Any]] = {}
    for right in case.rights:
        digits = code_key(right.number).replace("ZL", "").replace(".", "")
        if len(digits) >= 8 and digits in text_code:
            found.setdefault(right.number, {"target": "right", "number": right.number})
    for party in case.parties:
        names = [(party.name, _party_match(party))]
        for agent in party.agents:
            names.append((agent.name, _agent_match(agent, party)))
            if agent.firm:
                names.append((agent.firm, _firm_match(agent, party)))
        for name, match in names:
            key = name_key(name)
            if len(key) >= MIN_NAME and key in text_key:
                found.setdefault(key, match)
    for right in case.rights:
        key = name_key(right.holder)
        if len(key) >= MIN_NAME and key in text_key:
            found.setdefault(key, {"target": "holder", "name": right.holder, "number": right.number})
    return [Finding(Ground.other_relation, W, "interests", {"match": match}) for match in found.values()]


def availability(person: Person, on: date) -> list[Finding]:
    """Not available on ``on``: withdrawn from the pool, or inside a declared period."""
    findings = []
    if not person.is_available:
        findings.append(Finding(Ground.availability, W, "not_available", {}))
    for period in person.unavailable:
        if period.from_on <= on <= period.to_on:
            detail = {
                "from": period.from_on.isoformat(),
                "to": period.to_on.isoformat(),
                "reason": period.reason,
                "on": on.isoformat(),
            }
            findings.append(Finding(Ground.availability, W, "unavailable", detail))
    return findings


def check(person: Person, case: CaseFacts, on: date) -> list[Finding]:
    """Every finding against putting ``person`` on ``case`` on the date ``on``; refusals first."""
    findings = [
        *_identity_findings(person, case),
        *_declared_findings(person, case, on),
        *_employer_findings(person, case),
        *_interests_findings(person, case),
        *availability(person, on),
    ]
    return sorted(findings, key=lambda f: f.severity != Severity.refuse)


def refusals(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == Severity.refuse]


def warnings(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == Severity.warn]


def is_available(person: Person, on: date) -> bool:
    return not availability(person, on)
