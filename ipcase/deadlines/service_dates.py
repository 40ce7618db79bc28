"""When service takes effect, by method (domain.md §1 P10; [78] ch.1 §2.4; [85]10). Pure table.

Direct service: the day the recipient signs the receipt (送达回证). Post: the day it was actually
received (China Post's 给据邮件 record). Electronic: the day it reaches the recipient's system —
not for a decision (裁决书) or a mediation agreement (调解书), and only with consent. Public notice:
deemed served 60 days after publication. Left at the address (留置送达): the day it was left — not
for a mediation agreement. The periods that run from service start the next day (P1)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from ipcase.core import clock

SERVICE_BASIS = "《专利侵权纠纷行政裁决办案指南》第一章；《专利纠纷行政裁决和调解办法》第十条"


@dataclass(frozen=True)
class ServiceDateRule:
    method: str
    #: days from the day given (signature, receipt, arrival, publication) to the day of service
    offset_days: int
    #: document kinds that may not be served this way
    forbidden_for: frozenset[str] = frozenset()
    #: the method needs the recipient's consent ([85]10)
    needs_consent: bool = False


DECISION = "adjudication_decision"
MEDIATION_AGREEMENTS = frozenset({"mediation_agreement"})

SERVICE_DATE_RULES: dict[str, ServiceDateRule] = {
    "direct": ServiceDateRule("direct", 0),
    "post": ServiceDateRule("post", 0),
    "electronic": ServiceDateRule("electronic", 0, frozenset({DECISION}) | MEDIATION_AGREEMENTS, needs_consent=True),
    "left_at_address": ServiceDateRule("left_at_address", 0, MEDIATION_AGREEMENTS),
    "public_notice": ServiceDateRule("public_notice", 60),
}


def service_day(method: str, day: date) -> date:
    """The day service takes effect, given the method and the day its record gives (signature,
    receipt, arrival or publication)."""
    return day + timedelta(days=SERVICE_DATE_RULES[method].offset_days)


def is_forbidden(method: str, kind: str) -> bool:
    """Whether a document of ``kind`` may not be served by ``method``."""
    return kind in SERVICE_DATE_RULES[method].forbidden_for


def service_instant(day: date, *, not_before: datetime) -> datetime:
    """The instant a service on ``day`` is recorded at: only its day counts (a period running
    from it starts the next day, P1), so noon — but never before ``not_before`` (the case's
    receipt, the document's issue: a service on the day of an afternoon receipt is recorded at
    the receipt) nor after now."""
    instant = max(clock.from_local(datetime.combine(day, time(12, 0))), not_before)
    return min(instant, clock.now())
