"""Case events start the deadlines whose rules they trigger."""

from datetime import datetime

from ipcase.auth.models import User
from ipcase.cases.models import Case
from ipcase.deadlines.models import Deadline
from ipcase.deadlines.operations import start_deadline
from ipcase.deadlines.rules import RULES

#: the event each channel's intake stands for
INTAKE_EVENT = {
    "adjudication": "request_received",
    "mediation": "request_received",
    "station": "complaint_complete",
    "injunction": "application_received",
}


def fire(case: Case, event: str, *, at: datetime, actor: User | None) -> list[Deadline]:
    """Start every rule of the case's channel that ``event`` triggers."""
    channel = str(case.channel)
    seen: set[str] = set()
    started = []
    for rule in RULES:
        if rule.trigger == event and rule.channel in (channel, "any") and rule.id not in seen:
            seen.add(rule.id)
            started.append(start_deadline(case, rule.id, started_at=at, actor=actor))
    return started
