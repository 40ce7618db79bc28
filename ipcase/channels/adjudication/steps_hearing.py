"""The ``apply`` of the adjudication steps from the oral hearing to the panel's vote ([85]25–27),
and of suspension ([85]28–29) and settlement ([85]35). Each checks and stores the step's
details and may refuse with a DomainError."""

from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l

from ipcase.auth.models import User
from ipcase.cases.enums import PANEL_ROLES
from ipcase.cases.models import Case
from ipcase.channels.adjudication.helpers import _detail_name, _end_exclusion, _party, _start_exclusion
from ipcase.channels.adjudication.states import (
    RESCHEDULE_NOTICE_DAYS,
    ClosedHearingReason,
    SuspensionGround,
    SuspensionRefusalGround,
    earliest_hearing_day,
    vote_problem,
)
from ipcase.channels.workflow import choice_detail
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.deadlines.calendar_store import load_calendar
from ipcase.deadlines.models import ExclusionKind


def _hearing(case: Case, details: dict[str, Any], at: datetime) -> None:
    """Check and store the hearing notified at ``at`` ([85]26)."""
    when = clock.from_local(details["hearing_at"])
    notice_day = clock.local_day(at)
    earliest = earliest_hearing_day(load_calendar(), notice_day)
    if clock.local_day(when) < earliest:
        raise DomainError(
            (
                "hearing_at",
                _l(
                    "The parties must be notified at least 3 working days before the hearing ([85]26): "
                    "for a notice given on %(notice)s the earliest hearing date is %(earliest)s.",
                    notice=notice_day.isoformat(),
                    earliest=earliest.isoformat(),
                ),
            )
        )
    if not details.get("online") and not details.get("place"):
        raise DomainError(("place", _l("Give the place of the hearing, or mark it as held online.")))
    closed = details["publicity"] == "closed"
    if closed and not details.get("closed_reason"):
        raise DomainError(("closed_reason", _l("Say why the hearing is not public ([85]26).")))
    if not closed:
        details.pop("closed_reason", None)
    case.hearing_at = when  # type: ignore[attr-defined]
    case.hearing_place = details.get("place") or ""  # type: ignore[attr-defined]
    case.is_hearing_online = bool(details.get("online"))  # type: ignore[attr-defined]
    case.is_hearing_public = not closed  # type: ignore[attr-defined]
    case.hearing_closed_reason = ClosedHearingReason(details["closed_reason"]) if closed else None  # type: ignore[attr-defined]


def schedule_hearing(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    _hearing(case, details, at)


def reschedule_hearing(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """At a party's request made at least 3 days before the hearing ([78] hearing notice)."""
    party = _party(case, details["party"])
    current = case.hearing_at  # type: ignore[attr-defined]
    if current is not None:
        latest = clock.local_day(current) - timedelta(days=RESCHEDULE_NOTICE_DAYS)
        if details["requested_on"] > latest:
            raise DomainError(
                (
                    "requested_on",
                    _l(
                        "A party asks to reschedule at least 3 days before the hearing: "
                        "for the hearing on %(day)s, by %(latest)s.",
                        day=clock.local_day(current).isoformat(),
                        latest=latest.isoformat(),
                    ),
                )
            )
    _detail_name(details, "party", party.name, party.id)
    _hearing(case, details, at)


def hold_hearing(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    scheduled = case.hearing_at  # type: ignore[attr-defined]
    if scheduled is not None and clock.local_day(at) < clock.local_day(scheduled):
        raise DomainError(
            (
                "at",
                _l(
                    "The hearing is scheduled for %(day)s: it cannot be recorded as held before then.",
                    day=clock.to_local(scheduled).strftime("%Y-%m-%d %H:%M"),
                ),
            )
        )


def panel_vote(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """[85]25: the panel decides by majority; the minutes record the dissent."""
    size = sum(1 for a in case.assignments if a.role in PANEL_ROLES)
    problem = vote_problem(int(details["votes_for"]), int(details["votes_against"]), size)
    if problem:
        raise DomainError(("votes_for", problem))
    if int(details["votes_against"]) and not details.get("dissent"):
        raise DomainError(("dissent", _l("Record the dissenting opinion ([85]25).")))


def suspend_on_ground(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """[85]28: the office suspends on one of its grounds; an invalidation suspends only a utility
    model or design case."""
    ground = choice_detail(details, "ground", SuspensionGround, _l("Choose the ground of the suspension."))
    if ground == SuspensionGround.invalidation:
        kinds = {r.patent_type.value for r in case.rights if getattr(r, "patent_type", None) is not None}
        if kinds and not kinds & {"utility_model", "design"}:
            raise DomainError(
                (
                    "ground",
                    _l(
                        "An invalidation request suspends the case only for a utility model or a design "
                        "([85]28); for an invention patent record the refusal to suspend ([85]29)."
                    ),
                )
            )


def refuse_suspension(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """[85]29: a party's request to suspend is refused on its ground (the case goes on)."""
    party = _party(case, details["party"])
    choice_detail(details, "ground", SuspensionRefusalGround, _l("Choose the ground of the refusal."))
    if details.get("requested_on") is None or details["requested_on"] > clock.local_day(at):
        raise DomainError(("requested_on", _l("The request cannot be received after the refusal.")))
    _detail_name(details, "party", party.name, party.id)


def start_settlement(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    _start_exclusion(case, ExclusionKind.settlement, actor, at, ExclusionKind.settlement.label)


def end_settlement(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    _end_exclusion(case, ExclusionKind.settlement, actor, at)
