"""The adjudication procedure as one transition table (domain.md §2.1 A1–A20, §2.2; [85] articles
cited).

Each row: the action, who may take it, from which states to which (``None``: a step recorded
without a change of state), the procedural event it records (which meets and starts the periods
of ``ipcase.deadlines.rules``), its conditions, the documents it calls for, and — where the
examiner records more than a time and reasons — its form (``forms.py``) and the ``apply`` that
checks and applies those details. A refused step changes nothing and says why.

Besides the main path (docket → serve → defence → evidence → hearing → deliberation → closing
approval → decision), the table holds the side procedures of a real file: the jurisdiction
objection ([85]9) and the transfer it may lead to, recusal ([85]5), the evidence period and its
extension ([85]54), appraisal ([85]53), investigation and registration preservation ([85]44–50),
the technical investigator's opinion ([85]52), joinder ([85]23–24), settlement ([85]35), and after
the decision its service, the demand for performance and enforcement ([85]80), and corrections
([85]33). Time that [85]37 excludes from the time limit (objection, appraisal, extended evidence
period, settlement) is recorded as excluded periods by the steps that begin and end it.

The table is written in three stage tables concatenated here (``table_docketing``,
``table_evidence``, ``table_decision``); the conditions are in ``guards``, the effects in
``effects``, the ``apply`` of each stage in ``steps_docketing``, ``steps_evidence``,
``steps_hearing`` and ``steps_decision``, the state groups and who acts in ``stages``."""

from ipcase.channels.adjudication.states import CLOSED
from ipcase.channels.adjudication.states import AdjudicationState as S
from ipcase.channels.adjudication.table_decision import DECISION_TRANSITIONS
from ipcase.channels.adjudication.table_docketing import DOCKETING_TRANSITIONS
from ipcase.channels.adjudication.table_evidence import EVIDENCE_TRANSITIONS
from ipcase.channels.workflow import Transition, Workflow

TRANSITIONS: tuple[Transition, ...] = (*DOCKETING_TRANSITIONS, *EVIDENCE_TRANSITIONS, *DECISION_TRANSITIONS)

WORKFLOW = Workflow(states=S, transitions=TRANSITIONS, closed=frozenset(CLOSED))
