"""What a party is told about its case: the public state of every internal state of every
channel, who holds the case, what happens next, and which periods and timeline events are
public. Pure tables (no database): ``tests/portal/test_status.py`` checks they are complete.

Internal and public states are separate (style D.5, Indico ``AbstractPublicState``): several
internal stages collapse into one public state, so a party never learns of internal steps
such as the closing approval or a draft decision sent back to the panel."""

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from ipcase.cases.enums import Channel
from ipcase.channels.adjudication.states import AdjudicationState as A
from ipcase.channels.injunctions.states import InjunctionState as J
from ipcase.channels.mediation.states import MediationState as M
from ipcase.channels.stations.states import StationState as W


@dataclass(frozen=True)
class Holder:
    """Who has the case in hand: a role, and whether it is someone at the office."""

    label: Any
    at_office: bool = True


INTAKE = Holder(_l("The intake examiners, who check the request (立案审查)"))
PANEL = Holder(_l("The collegial panel (合议组) handling the case"))
HEAD = Holder(_l("The head of the office"))
OFFICE = Holder(_l("The case handlers of the office"))
MEDIATOR = Holder(_l("The mediator"))
STATION = Holder(_l("The rights-protection workstation"))
REQUESTER = Holder(_l("The requester, who has to send what is missing"), at_office=False)
RESPONDENT = Holder(_l("The respondent, whose answer is awaited"), at_office=False)
COURT = Holder(_l("The court or notary the parties turned to"), at_office=False)
NOBODY = Holder(_l("No one: the case is closed"), at_office=False)
ELSEWHERE = Holder(_l("The office the case was transferred to"), at_office=False)


@dataclass(frozen=True)
class PublicStatus:
    """A state as the parties see it."""

    #: a stable code (the same public state in several internal ones has one code)
    code: str
    label: Any
    holder: Holder
    #: what happens next, in plain language
    next: Any
    is_closed: bool = False


def _s(code: str, label: Any, holder: Holder, next_step: Any, *, closed: bool = False) -> PublicStatus:
    return PublicStatus(code, label, holder, next_step, closed)


# -- administrative adjudication ---------------------------------------------------------------

_ADJ_DECIDING = _s(
    "deciding",
    _l("The panel is preparing its decision"),
    PANEL,
    _l("The office issues its written decision (行政裁决书) and serves it on both parties."),
)
_ADJ_DEFENCE = _s(
    "defence",
    _l("The respondent has been sent the request and may answer"),
    RESPONDENT,
    _l("The respondent files its defence within the defence period; the office forwards it to the requester."),
)

ADJUDICATION: dict[A, PublicStatus] = {
    A.received: _s(
        "received",
        _l("Request received: being checked"),
        INTAKE,
        _l("The office decides whether to docket the case, or tells the requester what is missing."),
    ),
    A.deficient: _s(
        "correction",
        _l("Waiting for missing material"),
        REQUESTER,
        _l("Send the material listed in the correction notice (补正通知书); the office then checks the request again."),
    ),
    A.rejected: _s(
        "not_accepted",
        _l("Not accepted (不予立案)"),
        NOBODY,
        _l("The refusal notice gives the reasons; the requester may sue within 15 days or go to court directly."),
        closed=True,
    ),
    A.docketed: _s(
        "docketed",
        _l("Accepted: the case is docketed (立案)"),
        PANEL,
        _l("The office serves a copy of the request on the respondent."),
    ),
    A.served: _ADJ_DEFENCE,
    A.defence_period: _ADJ_DEFENCE,
    A.evidence: _s(
        "evidence",
        _l("The evidence is being examined"),
        PANEL,
        _l("The panel examines the evidence and may call the parties to an oral hearing."),
    ),
    A.hearing_scheduled: _s(
        "hearing",
        _l("An oral hearing is scheduled"),
        PANEL,
        _l("The hearing takes place as set out in the hearing notice (口头审理通知书)."),
    ),
    A.heard: _ADJ_DECIDING,
    A.deliberation: _ADJ_DECIDING,
    A.closing_approval: _ADJ_DECIDING,
    A.suspended: _s(
        "suspended",
        _l("Suspended (中止)"),
        OFFICE,
        _l("The procedure resumes when the reason for the suspension ends; the time does not count."),
    ),
    A.closed_decided: _s(
        "decided",
        _l("Decided"),
        NOBODY,
        _l("A party who disagrees may bring an administrative lawsuit within 15 days of service."),
        closed=True,
    ),
    A.closed_mediated: _s(
        "settled",
        _l("Closed by a mediation agreement"),
        NOBODY,
        _l("The parties carry out the agreement."),
        closed=True,
    ),
    A.closed_cancelled: _s(
        "cancelled",
        _l("Closed without a decision (withdrawn or cancelled)"),
        NOBODY,
        _l("Nothing more happens in this case."),
        closed=True,
    ),
    A.published: _s(
        "published",
        _l("Decided; the decision has been published"),
        NOBODY,
        _l("The decision must be carried out."),
        closed=True,
    ),
    A.litigated: _s(
        "lawsuit",
        _l("Decided; a lawsuit against the decision is pending"),
        COURT,
        _l("The court decides on the lawsuit."),
        closed=True,
    ),
    A.enforcement_requested: _s(
        "enforcement",
        _l("Decided; the court has been asked to enforce it"),
        COURT,
        _l("The court decides on enforcement."),
        closed=True,
    ),
    A.transferred: _s(
        "transferred",
        _l("Transferred to the competent office"),
        ELSEWHERE,
        _l("The competent office continues the case and tells the parties its own reference."),
        closed=True,
    ),
    A.decision_revoked: _s(
        "revoked",
        _l("Decision changed or revoked: the patent was invalidated"),
        NOBODY,
        _l("What was already carried out or enforced stands; the office's decision document says what changes."),
        closed=True,
    ),
}

# -- mediation ----------------------------------------------------------------------------------

MEDIATION: dict[M, PublicStatus] = {
    M.received: _s(
        "received",
        _l("Request received"),
        OFFICE,
        _l("The office sends the respondent a notice to state its views (陈述意见通知书)."),
    ),
    M.awaiting_statement: _s(
        "awaiting_statement",
        _l("Waiting for the respondent's views"),
        RESPONDENT,
        _l("The respondent says within 15 days whether it agrees to mediation."),
    ),
    M.statement_received: _s(
        "statement_received",
        _l("The respondent has answered"),
        OFFICE,
        _l("The office decides whether to open the mediation."),
    ),
    M.refused: _s(
        "not_accepted",
        _l("Not opened for mediation"),
        NOBODY,
        _l("The requester may ask for administrative adjudication or go to court."),
        closed=True,
    ),
    M.docketed: _s(
        "docketed",
        _l("Accepted for mediation"),
        MEDIATOR,
        _l("The mediator arranges a mediation session with both parties."),
    ),
    M.in_session: _s(
        "mediating",
        _l("Mediation in progress"),
        MEDIATOR,
        _l("The mediator holds further sessions until the parties agree or the mediation ends."),
    ),
    M.agreement_reached: _s(
        "agreed",
        _l("Agreement reached"),
        MEDIATOR,
        _l("The agreement may be confirmed by a court, notarised or made into an arbitral award."),
    ),
    M.confirmation_pending: _s(
        "confirming",
        _l("The agreement is being confirmed"),
        COURT,
        _l("The court, notary or arbitral body decides."),
    ),
    M.closed_agreed: _s(
        "closed_agreed",
        _l("Closed with an agreement"),
        NOBODY,
        _l("The parties carry out the agreement."),
        closed=True,
    ),
    M.closed_failed: _s(
        "closed_failed",
        _l("Closed without an agreement"),
        NOBODY,
        _l("The requester may ask for administrative adjudication or go to court."),
        closed=True,
    ),
    M.withdrawn: _s("withdrawn", _l("Withdrawn"), NOBODY, _l("Nothing more happens in this case."), closed=True),
    M.referred: _s(
        "referred",
        _l("Passed on to administrative adjudication"),
        NOBODY,
        _l("The dispute continues as an adjudication case with its own reference."),
        closed=True,
    ),
}

# -- workstation complaints ---------------------------------------------------------------------

STATION: dict[W, PublicStatus] = {
    W.received: _s(
        "received",
        _l("Complaint received"),
        STATION,
        _l("The workstation checks the complaint and passes it to the office within 24 hours."),
    ),
    W.incomplete: _s(
        "correction",
        _l("Waiting for supplementary material"),
        REQUESTER,
        _l("Send the material the workstation asked for; otherwise the complaint is not accepted."),
    ),
    W.forwarded: _s(
        "forwarded",
        _l("Passed to the office"),
        OFFICE,
        _l("The office notifies the respondent."),
    ),
    W.awaiting_response: _s(
        "awaiting_response",
        _l("Waiting for the respondent's response"),
        RESPONDENT,
        _l("The respondent answers within 24 hours; the office then decides."),
    ),
    W.under_review: _s(
        "review",
        _l("Under review by the office"),
        OFFICE,
        _l("The office decides whether measures are needed."),
    ),
    W.measures_taken: _s(
        "measures",
        _l("Measures taken on site"),
        OFFICE,
        _l("The office checks the measures are complied with and closes the complaint."),
    ),
    W.awaiting_transfer: _s(
        "transfer",
        _l("The exhibition has closed: the case is being passed on"),
        STATION,
        _l("The case is transferred to the competent office within 15 working days."),
    ),
    W.resolved: _s("resolved", _l("Resolved"), NOBODY, _l("Nothing more happens in this case."), closed=True),
    W.referred: _s(
        "referred",
        _l("Passed on to adjudication or mediation"),
        NOBODY,
        _l("The dispute continues as a new case with its own reference."),
        closed=True,
    ),
    W.withdrawn: _s("withdrawn", _l("Withdrawn"), NOBODY, _l("Nothing more happens in this case."), closed=True),
    W.not_accepted: _s(
        "not_accepted",
        _l("Not accepted"),
        NOBODY,
        _l("The complainant may file again with complete material, or turn to the office or a court."),
        closed=True,
    ),
    W.dismissed: _s(
        "dismissed",
        _l("Closed without measures"),
        NOBODY,
        _l("The complainant may ask for administrative adjudication or go to court."),
        closed=True,
    ),
    W.transferred: _s(
        "transferred",
        _l("Transferred to the competent office"),
        NOBODY,
        _l("The competent office continues the case."),
        closed=True,
    ),
}

# -- administrative injunctions -----------------------------------------------------------------

_INJ_REVIEW = _s(
    "review",
    _l("Under urgent review"),
    HEAD,
    _l("The office decides on the application as quickly as the matter requires."),
)

INJUNCTION: dict[J, PublicStatus] = {
    J.received: _INJ_REVIEW,
    J.under_review: _INJ_REVIEW,
    J.refused: _s(
        "refused",
        _l("Application refused"),
        NOBODY,
        _l("The decision gives the reasons and the remedies."),
        closed=True,
    ),
    J.granted: _s(
        "granted",
        _l("Injunction granted"),
        OFFICE,
        _l("The injunction is served on the respondent."),
    ),
    J.served: _s(
        "in_force",
        _l("Injunction in force"),
        RESPONDENT,
        _l("The respondent must comply; the office checks compliance."),
    ),
    J.review_pending: _s(
        "reviewing",
        _l("A review of the injunction has been requested"),
        HEAD,
        _l("The office decides on the review."),
    ),
    J.lifted: _s("lifted", _l("Injunction lifted"), NOBODY, _l("The injunction no longer applies."), closed=True),
    J.expired: _s("expired", _l("Injunction expired"), NOBODY, _l("The injunction no longer applies."), closed=True),
}

MAPPINGS: dict[Channel, dict[Any, PublicStatus]] = {
    Channel.adjudication: ADJUDICATION,
    Channel.mediation: MEDIATION,
    Channel.station: STATION,
    Channel.injunction: INJUNCTION,
}

UNKNOWN = _s("unknown", _l("In progress"), OFFICE, _l("The office will tell you about the next step."))


def public_status(channel: Channel | str, state: str) -> PublicStatus:
    """The public state of an internal one (a state missing from the tables shows as "in
    progress", never as its internal name; the tests keep the tables complete)."""
    table = MAPPINGS.get(Channel(channel), {})
    for internal, status in table.items():
        if internal.value == state:
            return status
    return UNKNOWN


# -- what the parties are told about time limits --------------------------------------------------

_ADVISORY = _l("The right holder answers the warning; after that an advisory opinion may be asked")
#: rule id → what happens by the due date. Rules not listed are internal and never shown.
PUBLIC_DEADLINES: dict[str, Any] = {
    "adj.docket": _l("The office decides whether to docket the request"),
    "adj.cure": _l("The requester corrects the request"),
    "adj.serve_request": _l("The office serves the request on the respondent"),
    "adj.defence": _l("The respondent files its defence"),
    "adj.defence_abroad": _l("The respondent files its defence"),
    "adj.forward_defence": _l("The office forwards the defence to the requester"),
    "adj.jurisdiction_objection": _l("The office decides on the objection to its jurisdiction"),
    "adj.recusal_application": _l("A party may ask for an official to step aside (回避)"),
    "adj.evidence_period": _l("The parties submit their evidence"),
    "adj.preservation_decision": _l("The office decides on preserving evidence"),
    "adj.time_limit": _l("The office closes the case"),
    "adj.publication": _l("The office publishes the decision"),
    "adj.lawsuit_window": _l("A party may bring an administrative lawsuit"),
    "adj.performance_demand": _l("The respondent carries out the decision"),
    "adj.enforcement_application": _l("The office may ask the court to enforce the decision"),
    "med.serve_statement_notice": _l("The office sends the respondent the notice to state its views"),
    "med.respondent_statement": _l("The respondent states whether it agrees to mediation"),
    "med.docket": _l("The office decides whether to open the mediation"),
    "med.ownership_time_limit": _l("The mediation ends"),
    "med.time_limit": _l("The mediation ends"),
    "med.judicial_confirmation": _l("The parties may ask a court to confirm the agreement"),
    "sta.forward": _l("The workstation passes the complaint to the office"),
    "sta.respondent_response": _l("The respondent responds to the complaint"),
    "sta.transfer_after_exhibition": _l("The case is passed to the competent office"),
    "inj.decision": _l("The office decides on the application"),
    "inj.review_decision": _l("The office decides on the review"),
    "adj.advisory_after_receipt": _l(
        "The right holder answers the warning; after that an advisory opinion may be asked"
    ),
    "adj.advisory_after_sending": _l(
        "The right holder answers the warning; after that an advisory opinion may be asked"
    ),
    "adj.limitation": _l("A request may be filed within the limitation period"),
    "adj.defence_resubmission": _l("The respondent resubmits its defence, signed"),
    "adj.hearing_reply": _l("The parties return the hearing reply slip"),
    "adj.reschedule_request": _l("A party may ask to move the hearing"),
    "adj.tech_investigator_notice": _l("The office tells the parties who the technical investigator is"),
    "adj.collect_preserved": _l("The owner collects the items released from preservation"),
    "adj.publication_of_change": _l("The office publishes the change the court made to the decision"),
    "adj.rightholder_enforcement": _l("The right holder may ask the court to enforce the decision"),
    "adj.major_docket": _l("The office decides whether to docket the request"),
    "adj.major_time_limit": _l("The office closes the case"),
    "med.refusal_after_silence": _l("The office tells the requester that the mediation will not be opened"),
    "med.ownership_resume_request": _l("A party asks CNIPA to resume its suspended procedure"),
    "med.cnipa_resumption": _l("CNIPA's suspended procedure resumes by itself"),
    "med.payment_due": _l("The agreed payment is made"),
    "inj.review_application": _l("The respondent may apply for a review"),
    "inj.follow_on_filing": _l("The applicant files its request or lawsuit on the dispute"),
    "inj.renewal": _l("The applicant may ask to renew the injunction"),
}
#: periods the parties are not told about (the referral of suspected crime, style: not public;
#: the office's copy of an ownership mediation to CNIPA)
INTERNAL_DEADLINES = frozenset({"ref.crime_decision", "ref.crime_transfer", "med.ownership_copy_documents"})

# -- the public timeline --------------------------------------------------------------------------

#: timeline events a party may see (when also marked public); everything else stays internal
PUBLIC_EVENTS = frozenset(
    {
        "case.opened",
        "case.numbered",
        "portal.filed",
        "party.added",
        "party.removed",
        "right.added",
        "case.transition",
        "deadline.started",
        "deadline.paused",
        "deadline.resumed",
    }
)

#: steps whose reasons are written for the parties (the defects to correct, the grounds of a
#: refusal or a cancellation); other steps show only the public state they led to
PUBLIC_REASONS: dict[Channel, frozenset[str]] = {
    Channel.adjudication: frozenset(
        {"request_correction", "refuse_docketing", "requester_absent", "cancel_case", "suspend"}
    ),
    Channel.mediation: frozenset(
        {
            "refuse_docketing",
            "statement_lapsed",
            "requester_absent",
            "respondent_absent",
            "mediation_failed",
            "withdraw",
        }
    ),
    Channel.station: frozenset({"request_supplement", "not_accept", "close_without_measures", "withdraw"}),
    Channel.injunction: frozenset({"refuse", "revoke_on_review", "lift"}),
}

#: steps whose details the parties are told (the hearing's date, place and form), field by field
PUBLIC_DETAILS: dict[Channel, dict[str, tuple[str, ...]]] = {
    Channel.adjudication: {
        "schedule_hearing": ("hearing_at", "place", "online"),
        "reschedule_hearing": ("hearing_at", "place", "online"),
    },
}


# -- what a party may do online ----------------------------------------------------------------------


@dataclass(frozen=True)
class OnlineAction:
    """An online request: which side may send it, and in which internal states of each channel
    (``None``: in any state while the case is open)."""

    roles: frozenset[str]
    states: dict[Channel, frozenset[str]] | None


ANY_SIDE = frozenset({"requester", "respondent", "third_party"})

ONLINE_ACTIONS: dict[str, OnlineAction] = {
    # answering a correction notice ([85]16; [EXPO]9)
    "deficiency_answer": OnlineAction(
        frozenset({"requester"}),
        {Channel.adjudication: frozenset({A.deficient}), Channel.station: frozenset({W.incomplete})},
    ),
    # the defence ([85]22), the statement of views ([85]65), the response to a complaint ([EXPO]13)
    "defence": OnlineAction(
        frozenset({"respondent"}),
        {
            Channel.adjudication: frozenset({A.served, A.defence_period}),
            Channel.mediation: frozenset({M.awaiting_statement}),
            Channel.station: frozenset({W.awaiting_response}),
            Channel.injunction: frozenset({J.granted, J.served}),
        },
    ),
    "withdrawal": OnlineAction(ANY_SIDE, None),
    # a hearing may be moved when asked for in time ([85]26)
    "hearing_change": OnlineAction(
        ANY_SIDE,
        {
            Channel.adjudication: frozenset({A.hearing_scheduled}),
            Channel.mediation: frozenset({M.docketed, M.in_session}),
        },
    ),
}


def why_not_online(channel: Channel | str, state: str, role: str, kind: str, *, is_closed: bool) -> Any:
    """Why a party in ``role`` cannot send ``kind`` now (a message), or None when it can."""
    action = ONLINE_ACTIONS.get(kind)
    if action is None:
        return _l("This cannot be done online.")
    if is_closed:
        return _l("The case is closed: nothing more can be sent online.")
    if str(role) not in action.roles:
        return _l("Only the other side can send this.")
    if action.states is not None and state not in action.states.get(Channel(channel), frozenset()):
        return _l("This cannot be sent at the present stage of the case.")
    return None


def online_actions(channel: Channel | str, state: str, role: str, *, is_closed: bool) -> list[str]:
    """The kinds of online request a party in ``role`` may send now."""
    return [k for k in ONLINE_ACTIONS if why_not_online(channel, state, role, k, is_closed=is_closed) is None]
