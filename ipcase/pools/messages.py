"""Wording of the pools: labels of the rules' enums, the reasons of recusal findings and the
pool audit log. Findings are stored (on the timeline) as ``{"text": key, "data": {...}}``
references, so each reader sees them in their own language."""

from typing import Any

from flask_babel import lazy_gettext as _l

from ipcase.cases.enums import PartyRole
from ipcase.cases.timeline import EXTRA_ENUMS, EXTRA_TEXTS, enum_ref, render_text
from ipcase.pools.rules import Finding, Ground, Relation, Severity

Ground.set_labels(
    {
        Ground.party_or_relative: _l("A party, or a close relative of a party or of its agent ([85]5)"),
        Ground.interest: _l("An interest in the patent or the case ([85]5)"),
        Ground.prior_involvement: _l("The patent's attorney or examiner before ([85]5)"),
        Ground.other_relation: _l("Another relationship that may affect a fair handling ([85]5)"),
        Ground.gifts: _l("Gifts or hospitality accepted ([85]5)"),
        Ground.availability: _l("Availability"),
    }
)
Severity.set_labels({Severity.refuse: _l("Excluded"), Severity.warn: _l("Warning")})
Relation.set_labels(
    {
        Relation.relative_of: _l("Relative of (近亲属)"),
        Relation.employed_by: _l("Employed by or worked for"),
        Relation.holds_shares: _l("Holds shares in"),
        Relation.attorney_for_patent: _l("Former patent attorney for (a patent or a client)"),
        Relation.examiner_of_patent: _l("Former examiner of (a patent)"),
        Relation.gifts_from: _l("Received gifts or hospitality from"),
        Relation.other: _l("Other relationship with"),
    }
)
EXTRA_ENUMS.update({"Ground": Ground, "Relation": Relation})

#: what in the case matched (``Finding.detail["match"]``)
MATCHES: dict[str, Any] = {
    "right": _l("%(number)s (asserted in this case)"),
    "party": _l("%(name)s (%(role)s in this case)"),
    "agent": _l("%(name)s (agent of %(party)s in this case)"),
    "firm": _l("%(name)s (firm of %(agent)s, agent of %(party)s in this case)"),
    "holder": _l("%(name)s (holder of %(number)s in this case)"),
}
#: a declared relation that matched
DECLARED: dict[Relation, Any] = {
    Relation.relative_of: _l("declared: relative of %(match)s"),
    Relation.employed_by: _l("declared: employed by or worked for %(match)s"),
    Relation.holds_shares: _l("declared: holds shares in %(match)s"),
    Relation.attorney_for_patent: _l("declared: former patent attorney for %(match)s"),
    Relation.examiner_of_patent: _l("declared: former examiner of %(match)s"),
    Relation.gifts_from: _l("declared: received gifts or hospitality from %(match)s"),
    Relation.other: _l("declared: other relationship with %(match)s"),
}
#: the other checks, by ``Finding.code``
REASONS: dict[str, Any] = {
    "declared_ended": _l("%(declared)s, ended %(until)s"),
    "employer": _l("employer on the pool profile: %(match)s"),
    "is_party": _l("is %(match)s (by the linked online account)"),
    "is_agent": _l("is %(match)s (by the linked online account)"),
    "same_name": _l("has the same name as %(match)s: check whether it is the same person"),
    "interests": _l("the declared interests mention %(match)s"),
    "not_available": _l("marked as not available for assignments"),
    "unavailable": _l("unavailable from %(from)s to %(to)s, which includes %(on)s"),
    "unavailable_reason": _l("unavailable from %(from)s to %(to)s (%(reason)s), which includes %(on)s"),
    "finding": _l("%(ground)s — %(reason)s"),
}

#: the pool audit log, by event
CHANGES: dict[str, Any] = {
    "profile.created": _l("Profile created"),
    "profile.updated": _l("Profile changed: %(fields)s"),
    "declaration.added": _l("Declared: %(kind)s %(counterpart)s"),
    "declaration.removed": _l("Declaration removed: %(kind)s %(counterpart)s"),
    "unavailability.added": _l("Not available from %(from)s to %(to)s"),
    "unavailability.removed": _l("Period of unavailability removed: %(from)s to %(to)s"),
}
#: labels of the profile's fields named in ``profile.updated``
FIELD_LABELS: dict[str, Any] = {
    "pools": _l("Pools"),
    "ipc_classes": _l("Fields of expertise (IPC)"),
    "employer": _l("Employer"),
    "title": _l("Professional title"),
    "declared_interests": _l("Declared interests"),
    "is_available": _l("Available for assignments"),
}

EXTRA_TEXTS.update({f"recusal.match.{k}": v for k, v in MATCHES.items()})
EXTRA_TEXTS.update({f"recusal.declared.{k.value}": v for k, v in DECLARED.items()})
EXTRA_TEXTS.update({f"recusal.{k}": v for k, v in REASONS.items()})
EXTRA_TEXTS.update({f"pool.{k}": v for k, v in CHANGES.items()})


def _match_ref(match: dict[str, Any]) -> dict[str, Any]:
    data = {k: v for k, v in match.items() if k != "target"}
    if "role" in data:
        data["role"] = enum_ref(PartyRole(data["role"]))
    return {"text": f"recusal.match.{match['target']}", "data": data}


def reason_ref(finding: Finding) -> dict[str, Any]:
    """The finding's reason, naming the match, as a text reference (without the ground)."""
    detail = dict(finding.detail)
    if "match" in detail:
        detail["match"] = _match_ref(detail["match"])
    if finding.code in ("declared", "declared_ended"):
        declared = {"text": f"recusal.declared.{detail['relation']}", "data": {"match": detail["match"]}}
        if finding.code == "declared" or "until" not in detail:
            return declared
        return {"text": "recusal.declared_ended", "data": {"declared": declared, "until": detail["until"]}}
    if finding.code == "unavailable" and detail.get("reason"):
        return {"text": "recusal.unavailable_reason", "data": detail}
    return {"text": f"recusal.{finding.code}", "data": detail}


def finding_ref(finding: Finding) -> dict[str, Any]:
    """The ground and the reason, as stored on the timeline."""
    return {"text": "recusal.finding", "data": {"ground": enum_ref(finding.ground), "reason": reason_ref(finding)}}


def describe(finding: Finding) -> str:
    """The finding in the current language: "<ground> — <reason naming the match>"."""
    return render_text(finding_ref(finding))


def describe_change(event: str, data: dict[str, Any]) -> str:
    """A pool audit entry in the current language."""
    data = dict(data or {})
    if "fields" in data:
        data["fields"] = ", ".join(str(FIELD_LABELS.get(f, f)) for f in data["fields"])
    if "kind" in data:
        data["kind"] = enum_ref(Relation(data["kind"]))
    return render_text({"text": f"pool.{event}", "data": data})
