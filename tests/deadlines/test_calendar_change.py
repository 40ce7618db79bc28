"""A change of the effective calendar reaches the open deadlines it touches, by every path:
sync-calendar (a package release confirming a year), a day correction, a schedule entered, a
year confirmed — in the same transaction, each move on the case's timeline with the old and new
date, the handler and the affected party told."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from ipcase.cases.enums import AssignmentRole, Channel, PartyRole
from ipcase.cases.models import TimelineEntry
from ipcase.cases.operations import assign_staff
from ipcase.core.extensions import db
from ipcase.deadlines import calendar_admin, service
from ipcase.deadlines import operations as ops
from ipcase.deadlines.calendar import OfficialDay, WorkCalendar
from ipcase.deadlines.jobs import sweep
from ipcase.deadlines.models import CalendarYear, Deadline, DeadlineEvent, DeadlineState, Notification
from ipcase.deadlines.official import estimated_days, official_days, package_years
from ipcase.portal.queries import next_steps

CN = timedelta(hours=8)


def at_cn(y: int, m: int, d: int, hh: int = 12) -> datetime:
    return datetime(y, m, d, hh, tzinfo=UTC) - CN


#: the days a hypothetical package release gives 2027: the estimate, and 02-22/23 as rest days
RELEASED_2027 = (
    *estimated_days(2027),
    OfficialDay(date(2027, 2, 22), False, "春节"),
    OfficialDay(date(2027, 2, 23), False, "春节"),
)


@pytest.fixture
def release_2027(monkeypatch):
    """Simulate a ``chinesecalendar`` release that knows 2027 (the installed one stops at 2026)."""
    known = package_years()
    assert 2027 not in known, "the installed package knows 2027: pick a later year for this test"

    def days(year: int) -> tuple[OfficialDay, ...]:
        return RELEASED_2027 if year == 2027 else official_days(year)

    def release() -> None:
        monkeypatch.setattr(service, "package_years", lambda: range(known.start, 2028))
        monkeypatch.setattr(service, "official_days", days)

    return release


@pytest.fixture
def defence(app, create_case, users, frozen_now):
    """The respondent's 15-day defence period from service on Sunday 2027-02-07: due Monday
    2027-02-22 on the estimated (provisional) 2027 calendar. The respondent has an account."""
    service.sync_calendar()
    frozen_now(at_cn(2027, 2, 8))
    case = create_case(Channel.adjudication, received_at=at_cn(2027, 1, 20), actor=users["examiner"])
    assign_staff(case, users["examiner2"], AssignmentRole.panel_member, actor=users["director"])
    respondent = next(p for p in case.parties if p.role == PartyRole.respondent)
    respondent.user_id = users["party"].id
    deadline = ops.start_deadline(case, "adj.defence", started_at=at_cn(2027, 2, 7), actor=None, party=respondent)
    db.session.flush()
    assert deadline.due_on == date(2027, 2, 22) and deadline.is_provisional
    return deadline


def moves(deadline: Deadline) -> list[TimelineEntry]:
    return list(
        db.session.scalars(
            sa.select(TimelineEntry).where(
                TimelineEntry.case_id == deadline.case_id, TimelineEntry.event == "deadline.moved"
            )
        )
    )


def moved_notes(deadline: Deadline) -> dict[int, Notification]:
    rows = db.session.scalars(
        sa.select(Notification).where(Notification.deadline_id == deadline.id, Notification.kind == "moved")
    )
    return {n.user_id: n for n in rows}


def test_a_package_release_confirming_a_year_moves_the_deadlines_it_touches(defence, release_2027, users, monkeypatch):
    untouched = ops.start_deadline(defence.case, "adj.evidence_period", started_at=at_cn(2026, 11, 2), actor=None)
    assert untouched.due_on == date(2026, 11, 17)
    before_untouched = untouched.due_at
    recomputed: list[int] = []
    real = ops.recompute_deadline

    def spy(deadline: Deadline, **kw):
        recomputed.append(deadline.id)
        return real(deadline, **kw)

    monkeypatch.setattr(ops, "recompute_deadline", spy)
    release_2027()
    counts = service.sync_calendar()
    assert counts["confirmed"] == 1 and counts["moved"] == 1
    db.session.refresh(defence)
    assert defence.due_on == date(2027, 2, 24)  # 02-22/23 are rest days now (P3)
    assert defence.is_provisional is False  # the year is confirmed
    assert db.session.get(CalendarYear, 2027).is_confirmed
    # the move is on the case's timeline with its old and new date, public (a party period)
    [entry] = moves(defence)
    assert entry.data["old"] == "2027-02-22" and entry.data["new"] == "2027-02-24"
    assert entry.is_public
    event = db.session.scalars(
        sa.select(DeadlineEvent).where(DeadlineEvent.deadline_id == defence.id, DeadlineEvent.kind == "moved")
    ).one()
    assert event.old_due_at < event.new_due_at == defence.due_at
    # the handlers (assigned staff, directors) and the respondent's account are told
    notes = moved_notes(defence)
    for who in ("examiner2", "director", "party"):
        assert users[who].id in notes, who
        assert notes[users[who].id].data["old"] == "2027-02-22" and notes[users[who].id].data["new"] == "2027-02-24"
    assert users["party2"].id not in notes
    # the portal status tells the respondent the new date
    respondent = defence.party
    assert [s.due for s in next_steps(defence.case, respondent) if s.basis == defence.basis] == [date(2027, 2, 24)]
    # the query selects only deadlines whose window reaches the changed year: one in 2026 is not
    # even loaded for recomputation
    assert defence.id in recomputed and untouched.id not in recomputed
    db.session.refresh(untouched)
    assert untouched.due_at == before_untouched and not moves_of(untouched)
    # running it again changes nothing
    again = service.sync_calendar()
    assert again["confirmed"] == 0 and again["moved"] == 0
    assert len(moves(defence)) == 1 and len(moved_notes(defence)) == len(notes)


def moves_of(deadline: Deadline) -> list[DeadlineEvent]:
    return list(
        db.session.scalars(
            sa.select(DeadlineEvent).where(DeadlineEvent.deadline_id == deadline.id, DeadlineEvent.kind == "moved")
        )
    )


def test_the_sweep_after_sync_does_not_call_the_case_overdue_a_day_early(defence, release_2027, frozen_now):
    release_2027()
    service.sync_calendar()
    frozen_now(at_cn(2027, 2, 23, 10))  # the day after the old due date
    sweep()
    db.session.refresh(defence)
    assert defence.state == DeadlineState.running


def test_the_cli_sync_calendar_moves_and_commits(defence, release_2027, app):
    release_2027()
    result = app.test_cli_runner().invoke(args=["ipcase", "sync-calendar"])
    assert result.exit_code == 0, result.output
    assert "moved=1" in result.output
    db.session.expire_all()
    assert db.session.get(Deadline, defence.id).due_on == date(2027, 2, 24)


def test_a_correction_tells_the_party_too(defence, users):
    moved = calendar_admin.correct_day(date(2027, 2, 22), False, "调休", actor=users["admin"], reason="通知")
    assert moved == 1
    db.session.refresh(defence)
    assert defence.due_on == date(2027, 2, 23)
    assert users["party"].id in moved_notes(defence)
    [entry] = moves(defence)
    assert (entry.data["old"], entry.data["new"]) == ("2027-02-22", "2027-02-23")


def test_confirming_the_year_clears_the_provisional_mark(defence, users):
    assert calendar_admin.confirm_year(2027, actor=users["admin"]) == 0
    db.session.refresh(defence)
    assert defence.is_provisional is False and defence.due_on == date(2027, 2, 22)
    assert not moves(defence)


def test_changed_ranges():
    base = WorkCalendar([], [])
    changed = WorkCalendar([OfficialDay(date(2027, 2, d), False) for d in (22, 23, 25)], [])
    assert service.changed_ranges(base, changed, [2027]) == [
        (date(2027, 2, 22), date(2027, 2, 23)),
        (date(2027, 2, 25), date(2027, 2, 25)),
    ]
    confirmed = WorkCalendar([], [2027])
    assert service.changed_ranges(base, confirmed, [2027, 2028]) == [(date(2027, 1, 1), date(2027, 12, 31))]
    assert service.changed_ranges(base, base, [2027]) == []
