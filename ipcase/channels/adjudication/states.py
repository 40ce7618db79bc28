"""States of an adjudication case (domain.md §2.2)."""

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from ipcase.core.enums import LabelledEnum
from ipcase.deadlines.calendar import WorkCalendar, add_working_days
from ipcase.deadlines.rules import get_rule


class AdjudicationState(LabelledEnum):
    received = "received"
    deficient = "deficient"
    rejected = "rejected"
    docketed = "docketed"
    served = "served"
    defence_period = "defence_period"
    evidence = "evidence"
    hearing_scheduled = "hearing_scheduled"
    heard = "heard"
    suspended = "suspended"
    deliberation = "deliberation"
    closing_approval = "closing_approval"
    closed_decided = "closed_decided"
    closed_mediated = "closed_mediated"
    closed_cancelled = "closed_cancelled"
    published = "published"
    litigated = "litigated"
    enforcement_requested = "enforcement_requested"
    transferred = "transferred"
    decision_revoked = "decision_revoked"


AdjudicationState.set_labels(
    {
        AdjudicationState.received: _l("Request received"),
        AdjudicationState.deficient: _l("Awaiting correction"),
        AdjudicationState.rejected: _l("Not docketed"),
        AdjudicationState.docketed: _l("Docketed"),
        AdjudicationState.served: _l("Request served"),
        AdjudicationState.defence_period: _l("Defence period"),
        AdjudicationState.evidence: _l("Evidence and fact-finding"),
        AdjudicationState.hearing_scheduled: _l("Hearing scheduled"),
        AdjudicationState.heard: _l("Hearing held"),
        AdjudicationState.suspended: _l("Suspended"),
        AdjudicationState.deliberation: _l("Panel deliberation"),
        AdjudicationState.closing_approval: _l("Awaiting closing approval"),
        AdjudicationState.closed_decided: _l("Closed by decision"),
        AdjudicationState.closed_mediated: _l("Closed by mediation"),
        AdjudicationState.closed_cancelled: _l("Closed by cancellation"),
        AdjudicationState.published: _l("Decision published"),
        AdjudicationState.litigated: _l("Administrative lawsuit filed"),
        AdjudicationState.enforcement_requested: _l("Court enforcement requested"),
        AdjudicationState.transferred: _l("Transferred to the competent office"),
        AdjudicationState.decision_revoked: _l("Decision changed or revoked (patent invalidated)"),
    }
)

CLOSED = frozenset(
    {
        AdjudicationState.rejected,
        AdjudicationState.closed_decided,
        AdjudicationState.closed_mediated,
        AdjudicationState.closed_cancelled,
        AdjudicationState.published,
        AdjudicationState.litigated,
        AdjudicationState.enforcement_requested,
        AdjudicationState.transferred,
        AdjudicationState.decision_revoked,
    }
)


# -- procedural vocabularies and pure rules of the procedure -----------------------------------------


class RecusalGround(LabelledEnum):
    """The grounds for recusal of [85]5: an official, technical investigator, clerk, interpreter,
    appraiser or assistant must withdraw when one applies."""

    party_or_relative = "party_or_relative"
    interest_in_patent = "interest_in_patent"
    prior_involvement = "prior_involvement"
    other_relation = "other_relation"
    gifts = "gifts"


RecusalGround.set_labels(
    {
        RecusalGround.party_or_relative: _l("Is a party, or a close relative of a party or of its agent"),
        RecusalGround.interest_in_patent: _l("Has an interest in the patent application or the patent"),
        RecusalGround.prior_involvement: _l(
            "Acted in the matter before (the patent's attorney or examiner, a witness or an appraiser)"
        ),
        RecusalGround.other_relation: _l("Another relationship with a party or agent that may affect impartiality"),
        RecusalGround.gifts: _l("Accepted gifts or hospitality from a party or someone acting for it"),
    }
)


class DecisionOutcome(LabelledEnum):
    """What the adjudication decision (行政裁决书) finds ([85]31)."""

    infringement_found = "infringement_found"
    partly_found = "partly_found"
    not_found = "not_found"


DecisionOutcome.set_labels(
    {
        DecisionOutcome.infringement_found: _l("Infringement established (侵权成立)"),
        DecisionOutcome.partly_found: _l("Infringement partly established (部分成立)"),
        DecisionOutcome.not_found: _l("Infringement not established (侵权不成立)"),
    }
)

#: outcomes that order the respondent to stop: cessation measures, credit record, enforcement
INFRINGING = frozenset({DecisionOutcome.infringement_found, DecisionOutcome.partly_found})


class CessationMeasure(LabelledEnum):
    """The cessation orders a decision finding infringement gives ([85]31, [85]32)."""

    stop_making = "stop_making"
    stop_using_method = "stop_using_method"
    stop_selling = "stop_selling"
    stop_offering = "stop_offering"
    stop_using = "stop_using"
    stop_importing = "stop_importing"
    exhibition = "exhibition"
    ecommerce = "ecommerce"
    other = "other"


CessationMeasure.set_labels(
    {
        CessationMeasure.stop_making: _l(
            "Stop making; destroy the special equipment and moulds; keep unsold products off the market"
        ),
        CessationMeasure.stop_using_method: _l("Stop using the patented process; destroy the equipment used for it"),
        CessationMeasure.stop_selling: _l("Stop selling; do not put stocks of infringing products on the market"),
        CessationMeasure.stop_offering: _l("Stop offering for sale; remove or destroy the advertising"),
        CessationMeasure.stop_using: _l("Stop using the infringing products"),
        CessationMeasure.stop_importing: _l("Stop importing; customs notified of goods not yet imported"),
        CessationMeasure.exhibition: _l(
            "At an exhibition: withdraw the exhibits, seal or destroy the brochures, cover the display boards"
        ),
        CessationMeasure.ecommerce: _l("Online: the platform is told to delete, block or disconnect the links"),
        CessationMeasure.other: _l("Other measures needed to stop the infringement"),
    }
)


class ClosedHearingReason(LabelledEnum):
    """Why an oral hearing is not public ([85]26)."""

    state_secret = "state_secret"  # noqa: S105  (a reason, not a secret)
    privacy = "privacy"
    trade_secret = "trade_secret"  # noqa: S105


ClosedHearingReason.set_labels(
    {
        ClosedHearingReason.state_secret: _l("It involves state secrets"),
        ClosedHearingReason.privacy: _l("It involves personal privacy"),
        ClosedHearingReason.trade_secret: _l("Trade secrets are involved and a party asked for a closed hearing"),
    }
)


class AppraisalStage(LabelledEnum):
    """Where a technical appraisal (鉴定) stands ([85]53); none when no appraisal is under way."""

    requested = "requested"
    needed = "needed"
    commissioned = "commissioned"


AppraisalStage.set_labels(
    {
        AppraisalStage.requested: _l("Requested, awaiting the panel's decision"),
        AppraisalStage.needed: _l("Found necessary, appraiser and cost to be agreed"),
        AppraisalStage.commissioned: _l("Commissioned, awaiting the opinion"),
    }
)

#: the oral hearing is notified at least this many working days before it ([85]26)
HEARING_NOTICE_WORKING_DAYS = 3
#: the evidence period is at least this many days from receipt of the notice ([85]54)
MIN_EVIDENCE_DAYS = 15
#: a party asks to reschedule the hearing at least this many days before it ([78] hearing notice;
#: the catalogue's rule "adj.reschedule_request")
RESCHEDULE_NOTICE_DAYS = get_rule("adj.reschedule_request").length


def earliest_hearing_day(cal: WorkCalendar, notice_day: date) -> date:
    """The first day a hearing notified on ``notice_day`` may be held: the third working day
    after the notice ([85]26), counted as every working-day period is (P1, P4)."""
    return add_working_days(cal, notice_day, HEARING_NOTICE_WORKING_DAYS).due  # type: ignore[return-value]


def vote_problem(votes_for: int, votes_against: int, panel_size: int) -> Any:
    """Why the panel's vote does not carry the draft decision, or None ([85]25: the majority
    decides; every member votes)."""
    if votes_for < 0 or votes_against < 0:
        return _l("Votes cannot be negative.")
    if votes_for + votes_against != panel_size:
        return _l(
            "The panel has %(size)d members: count %(size)d votes (%(counted)d counted).",
            size=panel_size,
            counted=votes_for + votes_against,
        )
    if votes_for <= votes_against:
        return _l(
            "The draft decision needs a majority of the panel ([85]25): %(for)d for, %(against)d against.",
            **{"for": votes_for, "against": votes_against},
        )
    return None


class RevocationEffect(LabelledEnum):
    """What a final invalidation does to the decision ([85]33)."""

    revoked = "revoked"
    changed = "changed"


RevocationEffect.set_labels(
    {
        RevocationEffect.revoked: _l("Decision revoked (the patent was invalidated in full)"),
        RevocationEffect.changed: _l("Decision changed (the patent was invalidated in part)"),
    }
)


class RefusalGround(LabelledEnum):
    """Why a request is not docketed ([85]12 conditions; [85]16 deficiencies not corrected; [85]14
    evaluation report refused). The values are those of the refusal notice's tick boxes."""

    not_right_holder = "not_right_holder"
    no_respondent = "no_respondent"
    no_claims = "no_claims"
    outside_jurisdiction = "outside_jurisdiction"
    in_court = "in_court"
    not_cured = "not_cured"
    other = "other"


RefusalGround.set_labels(
    {
        RefusalGround.not_right_holder: _l("Not the patentee or an interested party"),
        RefusalGround.no_respondent: _l("No definite respondent"),
        RefusalGround.no_claims: _l("No definite claims, facts or reasons"),
        RefusalGround.outside_jurisdiction: _l("Outside the office's remit or jurisdiction"),
        RefusalGround.in_court: _l("A party has sued in court or another forum was agreed"),
        RefusalGround.not_cured: _l("Deficiencies not corrected in time"),
        RefusalGround.other: _l("Other"),
    }
)


class SuspensionGround(LabelledEnum):
    """The grounds on which the office must suspend ([85]28). The values are those of the
    suspension notice's grounds."""

    invalidation = "invalidation"
    death = "death"
    incapacity = "incapacity"
    terminated = "terminated"
    force_majeure = "force_majeure"
    other_case = "other_case"
    awaiting_reply = "awaiting_reply"


SuspensionGround.set_labels(
    {
        SuspensionGround.invalidation: _l("Invalidation of the utility model or design accepted (无效宣告)"),
        SuspensionGround.death: _l("A party died and the heirs are undecided"),
        SuspensionGround.incapacity: _l("Incapacity without a legal representative yet"),
        SuspensionGround.terminated: _l("A party terminated without a successor"),
        SuspensionGround.force_majeure: _l("Force majeure"),
        SuspensionGround.other_case: _l("Depends on another pending case"),
        SuspensionGround.awaiting_reply: _l("Awaiting a superior's reply on a point of law"),
    }
)


class SuspensionRefusalGround(LabelledEnum):
    """The grounds on which the office may refuse a request to suspend ([85]29)."""

    invention_patent = "invention_patent"
    report_no_defect = "report_no_defect"
    repeat_after_withdrawal = "repeat_after_withdrawal"
    validity_upheld = "validity_upheld"
    other = "other"


SuspensionRefusalGround.set_labels(
    {
        SuspensionRefusalGround.invention_patent: _l("The patent is an invention patent"),
        SuspensionRefusalGround.report_no_defect: _l("An evaluation report found no defect in the patent"),
        SuspensionRefusalGround.repeat_after_withdrawal: _l(
            "Invalidation requested again after an earlier request was withdrawn"
        ),
        SuspensionRefusalGround.validity_upheld: _l("A final decision upheld the patent's validity"),
        SuspensionRefusalGround.other: _l("Other reasons not to suspend"),
    }
)

#: the refusal notice's remedy: an administrative lawsuit within this many days of receipt, or a
#: civil suit directly ([78] 不予受理通知书; [85]20)
REFUSAL_LAWSUIT_DAYS = 15
