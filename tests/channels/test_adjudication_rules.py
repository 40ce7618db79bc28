"""The adjudication procedure's pure rules: the 3-working-day hearing notice ([85]26) and the
panel's majority ([85]25)."""

from datetime import date

import pytest

from ipcase.channels.adjudication.states import (
    HEARING_NOTICE_WORKING_DAYS,
    CessationMeasure,
    DecisionOutcome,
    RecusalGround,
    earliest_hearing_day,
    vote_problem,
)
from ipcase.deadlines.calendar import OfficialDay, WorkCalendar

#: 2025's National Day and Mid-Autumn holiday (10-01 … 10-08) and its make-up Saturday 10-11
GOLDEN_WEEK = WorkCalendar(
    [OfficialDay(date(2025, 10, d), False, "国庆节") for d in range(1, 9)]
    + [OfficialDay(date(2025, 9, 28), True, "调休"), OfficialDay(date(2025, 10, 11), True, "调休")],
    [2025],
)


@pytest.mark.parametrize(
    ("notice", "earliest"),
    [
        (date(2026, 11, 24), date(2026, 11, 27)),  # Tuesday → Friday
        (date(2026, 11, 27), date(2026, 12, 2)),  # Friday → the weekend does not count
        (date(2026, 11, 28), date(2026, 12, 2)),  # given on a Saturday: Mon, Tue, Wed
        (date(2025, 9, 30), date(2025, 10, 11)),  # across the golden week, onto a make-up Saturday
        (date(2025, 9, 26), date(2025, 9, 30)),  # Sunday 09-28 is a make-up working day
    ],
)
def test_a_hearing_comes_at_least_3_working_days_after_its_notice(notice, earliest):
    assert HEARING_NOTICE_WORKING_DAYS == 3
    assert earliest_hearing_day(GOLDEN_WEEK, notice) == earliest


@pytest.mark.parametrize(
    ("votes_for", "votes_against", "panel", "carried"),
    [
        (3, 0, 3, True),
        (2, 1, 3, True),
        (3, 2, 5, True),
        (1, 2, 3, False),  # no majority
        (2, 2, 5, False),  # one vote missing
        (2, 0, 3, False),  # not every member voted
        (3, 1, 3, False),  # more votes than members
        (-1, 4, 3, False),
    ],
)
def test_the_draft_carries_only_with_a_majority_of_every_member(app, votes_for, votes_against, panel, carried):
    assert (vote_problem(votes_for, votes_against, panel) is None) == carried


def test_the_vocabularies_are_complete_and_labelled(app):
    assert len(RecusalGround) == 5  # the five grounds of [85]5
    assert {m.value for m in DecisionOutcome} == {"infringement_found", "partly_found", "not_found"}
    assert CessationMeasure.ecommerce in CessationMeasure and CessationMeasure.exhibition in CessationMeasure
    for enum in (RecusalGround, DecisionOutcome, CessationMeasure):
        assert all(str(m.label) for m in enum)
