"""Who acts in the adjudication procedure and the groups of its states that the transition table
and the guards refer to (domain.md §2.1)."""

from ipcase.auth.models import Role
from ipcase.channels.adjudication.states import AdjudicationState as S

OFFICE = frozenset({Role.examiner, Role.director})
DIRECTOR = frozenset({Role.director})

#: states in which the case is being heard (docketed, not yet closed)
HEARING_STAGES = frozenset(
    {
        S.docketed,
        S.served,
        S.defence_period,
        S.evidence,
        S.hearing_scheduled,
        S.heard,
        S.deliberation,
        S.closing_approval,
    }
)
SUSPENDABLE = HEARING_STAGES - {S.closing_approval}
#: from docketing until the oral hearing has been held (recusal, joinder: [85]5, [85]24)
BEFORE_HEARING_ENDS = frozenset({S.docketed, S.served, S.defence_period, S.evidence, S.hearing_scheduled})
#: while the facts are being established
FACT_FINDING = BEFORE_HEARING_ENDS | {S.heard}
#: the request served, the evidence stage not yet over
EVIDENCE_STAGES = frozenset({S.served, S.defence_period, S.evidence, S.hearing_scheduled})
#: a decision has been made and the file is closed
DECIDED = frozenset({S.closed_decided, S.published, S.litigated, S.enforcement_requested})
#: where a warned person's demand and the advisory opinion are recorded ([85]13): any open state
ADVISORY_STAGES = frozenset({S.received, S.deficient}) | HEARING_STAGES
#: the decision's follow-up: service, demand, enforcement ([85]80)
AFTER_DECISION = frozenset({S.closed_decided, S.published})
