"""Recording and rendering the case timeline (the audit log of every change)."""

from functools import cache
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from ipcase.auth.models import Role, User
from ipcase.cases import enums
from ipcase.cases.enums import EntryKind
from ipcase.cases.models import Case, TimelineEntry
from ipcase.cases.registry import all_channels, get_channel
from ipcase.core.enums import LabelledEnum
from ipcase.core.extensions import db

#: event code → message template; %(key)s placeholders are filled from the entry's data
MESSAGES: dict[str, Any] = {
    "case.opened": _l("Case opened in %(channel)s at %(organisation)s"),
    "case.numbered": _l("Case number %(number)s assigned"),
    "case.updated": _l("Case details changed: %(fields)s"),
    "party.added": _l("Party added: %(name)s (%(role)s)"),
    "party.updated": _l("Party %(name)s changed: %(fields)s"),
    "party.removed": _l("Party removed: %(name)s (%(role)s)"),
    "agent.added": _l("Agent %(name)s added for %(party)s"),
    "agent.updated": _l("Agent %(name)s changed: %(fields)s"),
    "agent.removed": _l("Agent %(name)s removed from %(party)s"),
    "right.added": _l("Right added: %(number)s %(title)s"),
    "right.updated": _l("Right %(number)s changed: %(fields)s"),
    "right.removed": _l("Right removed: %(number)s"),
    "assignment.added": _l("%(user)s assigned as %(role)s"),
    "assignment.removed": _l("%(user)s is no longer %(role)s"),
    "assignment.added_with_warnings": _l(
        "%(user)s assigned as %(role)s; the assigner read the recusal warnings and confirmed: %(warnings)s"
    ),
    "case.event": _l("%(event)s (%(at)s)"),
    "crime.reported": _l("Suspected crime reported to the head: %(facts)s"),
    "crime.approved": _l("Referral to the police approved. %(reasons)s"),
    "crime.declined": _l("Referral to the police declined. %(reasons)s"),
    "crime.handed_over": _l("Case handed over to %(authority)s"),
    "case.transition": _l("%(action)s: %(from)s → %(to)s. %(reason)s"),
    "deadline.started": _l("Time limit started: %(title)s, due %(due)s"),
    "deadline.met": _l("Time limit met: %(title)s"),
    "deadline.moved": _l("Time limit %(title)s moved from %(old)s to %(new)s (%(reason)s)"),
    "deadline.cancelled": _l("Time limit cancelled: %(title)s (%(reason)s)"),
    "deadline.paused": _l("Time limit paused from %(from)s: %(kind)s"),
    "deadline.resumed": _l("Excluded time (%(kind)s) ended on %(to)s"),
    "deadline.extension_requested": _l("Extension of %(title)s requested: %(length)s %(unit)s"),
    "deadline.extension_approved": _l("Extension of %(title)s approved: %(length)s %(unit)s"),
    "deadline.extension_refused": _l("Extension of %(title)s refused"),
    "case.referred_to": _l("Referred to %(number)s at %(organisation)s (%(channel)s). %(reason)s"),
    "case.referred_from": _l("Referred from %(number)s at %(organisation)s (%(channel)s). %(reason)s"),
    "evidence.added": _l("Evidence no. %(position)s listed: %(title)s"),
    "evidence.removed": _l("Evidence no. %(position)s removed: %(title)s"),
    "credit.recorded": _l("Credit record for %(name)s: %(kind)s"),
    "credit.removed": _l("Credit record for %(name)s removed: %(kind)s (%(reason)s)"),
    "portal.filed": _l("Filed online by %(name)s"),
    "portal.code_issued": _l("New portal access code issued for %(name)s"),
    "portal.account_linked": _l("%(name)s follows the case with an online account"),
    "portal.deficiency_answer": _l("%(name)s sent material online in answer to the correction notice"),
    "portal.defence": _l("%(name)s sent a defence or statement online"),
    "portal.withdrawal": _l("%(name)s asked online to withdraw a request"),
    "portal.hearing_change": _l("%(name)s asked online to change the hearing date"),
    "portal.request_handled": _l("Online request from %(name)s handled"),
    "portal.survey": _l("%(name)s rated the handling of the case"),
    "portal.codes_guessed": _l(
        "More than %(count)s wrong access codes were tried for this case on the portal: the addresses"
        " trying are slowed down, the parties' own codes still work"
    ),
    "adjudication.recusal_pending": _l(
        "%(user)s stops work on the case until the recusal application is decided (urgent measures apart, [85]5)"
    ),
    "document.issued": _l("Document issued: %(title)s %(number)s"),
    "document.corrected": _l("Document issued: %(title)s %(number)s, correcting %(old)s"),
    "document.served": _l("%(title)s %(number)s served on %(name)s (%(method)s) on %(date)s"),
}


def record(
    case: Case,
    event: str,
    *,
    actor: User | None,
    kind: EntryKind = EntryKind.change,
    data: dict[str, Any] | None = None,
    is_public: bool = False,
) -> TimelineEntry:
    """Append one audited entry to the case's timeline."""
    if event not in MESSAGES:
        raise KeyError(f"unknown timeline event {event!r}")
    entry = TimelineEntry(case=case, event=event, kind=kind, actor=actor, data=dict(data or {}), is_public=is_public)
    db.session.add(entry)
    return entry


def render_entry(entry: TimelineEntry) -> str:
    """The entry's message in the current language."""
    template = str(MESSAGES.get(entry.event, entry.event))
    data = {}
    extra = ""
    for key, value in (entry.data or {}).items():
        if key == "details":
            extra = _details(entry.data.get("action"), value)
            continue
        if key == "fields":
            sep = "、" if str(get_locale()).startswith("zh") else ", "
            value = sep.join(str(FIELD_LABELS.get(f, f)) for f in value)
        data[key] = _localise(value)
    try:
        text = template % data
    except (KeyError, TypeError, ValueError):
        text = template
    text = f"{text.rstrip()} {extra}" if extra else text
    origin = (entry.data or {}).get("copied_from")
    # an entry copied from the case this one was referred from: "[成知裁〔2026〕3号] …"
    return f"[{origin}] {text}" if origin else text


def _details(action: Any, values: Any) -> str:
    """A step's structured details ("label: value; …"), labelled from the step's own form."""
    if not isinstance(action, dict) or not isinstance(values, dict):
        return ""
    try:
        form_cls = get_channel(action["channel"]).workflow.by_action[action["step"]].form
    except (KeyError, ValueError, AttributeError):
        form_cls = None
    zh = str(get_locale()).startswith("zh")
    pairs = [(str(k), str(v)) for k, v in values.items()] if form_cls is None else form_cls.describe(values)
    colon, sep = ("：", "；") if zh else (": ", "; ")
    return sep.join(f"{label}{colon}{value}" for label, value in pairs)


def enum_ref(member: LabelledEnum) -> dict[str, str]:
    """Store an enum in timeline data so it renders in the reader's language later."""
    return {"enum": type(member).__name__, "value": member.value}


def _localise(value: Any) -> Any:
    if isinstance(value, dict) and "step" in value:
        # a workflow step: its label in the reader's language, from the channel's table
        try:
            return str(get_channel(value["channel"]).workflow.by_action[value["step"]].label)
        except (KeyError, ValueError, AttributeError):
            return value["step"]
    if isinstance(value, dict) and "enum" in value:
        cls = _enum_registry().get(value["enum"])
        try:
            return str(cls(value["value"]).label) if cls else value["value"]
        except ValueError:
            return value["value"]
    if isinstance(value, dict) and "text" in value:
        return render_text(value)
    if isinstance(value, list) and value and all(isinstance(v, dict) and "text" in v for v in value):
        return ("；" if str(get_locale()).startswith("zh") else "; ").join(render_text(v) for v in value)
    return value


#: texts that timeline data refers to as ``{"text": key, "data": {...}}`` (e.g. the recusal
#: warnings an assignment was made despite), so they render in the reader's language; each
#: feature adds its own
EXTRA_TEXTS: dict[str, Any] = {}


def render_text(value: dict[str, Any]) -> str:
    """A ``{"text": key, "data": {...}}`` reference in the current language (data may nest)."""
    template = EXTRA_TEXTS.get(value.get("text", ""))
    if template is None:
        return str(value.get("text", ""))
    data = {k: _localise(v) for k, v in (value.get("data") or {}).items()}
    try:
        return str(template) % data
    except (KeyError, TypeError, ValueError):
        return str(template)


@cache
def _enum_registry() -> dict[str, type[LabelledEnum]]:
    found: dict[str, type[LabelledEnum]] = {"Role": Role}
    for obj in vars(enums).values():
        if isinstance(obj, type) and issubclass(obj, LabelledEnum) and obj is not LabelledEnum:
            found[obj.__name__] = obj
    for ch in all_channels():
        found[ch.states.__name__] = ch.states
    found.update(EXTRA_ENUMS)
    return found


#: enums of other features that timeline data refers to (``enum_ref``); each feature adds its own
EXTRA_ENUMS: dict[str, type[LabelledEnum]] = {}


#: labels of the fields named in ``*.updated`` entries
FIELD_LABELS: dict[str, Any] = {
    "title": _l("Cause"),
    "summary": _l("Summary"),
    "source": _l("Source"),
    "jurisdiction_basis": _l("Jurisdiction basis"),
    "received_at": _l("Received at"),
    "role": _l("Role"),
    "user": _l("Online account"),
    "kind": _l("Type"),
    "name": _l("Name"),
    "id_type": _l("Identity document"),
    "id_number": _l("Document number"),
    "legal_rep_name": _l("Legal representative"),
    "legal_rep_title": _l("Representative's title"),
    "address": _l("Address"),
    "postcode": _l("Postcode"),
    "phone": _l("Phone"),
    "email": _l("E-mail"),
    "has_domestic_domicile": _l("Domicile in China"),
    "origin": _l("Origin"),
    "firm": _l("Firm or employer"),
    "licence_no": _l("Licence number"),
    "authority": _l("Authority"),
    "authority_items": _l("Special authority items"),
    "right_type": _l("Right type"),
    "number": _l("Number"),
    "patent_type": _l("Patent type"),
    "holder": _l("Right holder"),
    "filed_on": _l("Filing date"),
    "granted_on": _l("Grant date"),
    "legal_status": _l("Legal status"),
    "status_checked_on": _l("Status checked on"),
    "asserted_claims": _l("Asserted claims"),
    "ipc_class": _l("IPC class"),
    "requests": _l("Requests"),
    "main_case": _l("Main adjudication case"),
    "accused_product": _l("Accused product"),
    "infringement_known_on": _l("Right holder knew of the infringement on"),
    "mediation_type": _l("Mediation type"),
    "claimed_amount": _l("Amount claimed"),
    "referring_court_case_no": _l("Referring court case number"),
    "booth": _l("Booth or shop"),
    "platform_link": _l("Platform link"),
    "urgency_facts": _l("Urgency facts"),
    "requested_measures": _l("Requested measures"),
    "bond_amount": _l("Bond amount"),
    "bond_form": _l("Bond form"),
}
