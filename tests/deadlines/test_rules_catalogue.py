"""The rules catalogue as a table (issue 12): every rule has its basis, its tag and the effective
date of the law it cites; every rule tagged R is configurable; and each period domain.md lists is
there with its length, unit and trigger. Due dates on the real (package) calendar."""

from datetime import UTC, date, datetime

import pytest

from ipcase.deadlines import rules as r
from ipcase.deadlines.calendar import Unit
from ipcase.deadlines.calendar_store import package_calendar
from ipcase.deadlines.engine import due_result
from ipcase.deadlines.rules import RULES, followers, get_rule
from ipcase.deadlines.triggers import EVENT_LABELS, MAJOR_VARIANTS, VARIANTS, channel_events

#: each instrument the catalogue cites and the day it took effect, written out independently of
#: the catalogue's constants (domain.md §0)
IN_FORCE = {
    "《专利纠纷行政裁决和调解办法》": date(2025, 2, 1),
    "《中华人民共和国专利法》": date(2021, 6, 1),
    "《中华人民共和国专利法实施细则》": date(2024, 1, 20),
    "《最高人民法院关于审查知识产权纠纷行为保全案件适用法律若干问题的规定》": date(2019, 1, 1),
    "《最高人民法院关于技术调查官参与知识产权案件诉讼活动的若干规定》": date(2019, 5, 1),
    "《专利侵权纠纷行政裁决办案指南》": date(2019, 1, 1),
    "《重大专利侵权纠纷行政裁决办法》": date(2021, 5, 26),
    "《展会知识产权保护办法》": date(2006, 3, 1),
    "《展会知识产权保护指引》": date(2006, 3, 1),
    "《中华人民共和国人民调解法》": date(2011, 1, 1),
    "《行政执法机关移送涉嫌犯罪案件的规定》": date(2020, 8, 7),
}
#: a local setting (no national rule) applies from the day the system adopted Order 81
LOCAL = date(2025, 2, 1)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_every_rule_has_basis_tag_and_the_date_of_its_law(rule):
    assert rule.basis.strip() and rule.title.strip()
    assert rule.tag in {"V", "S", "R"}
    assert rule.length >= 1
    assert rule.effective_from <= date(2026, 11, 24)  # no rule takes effect after the catalogue was written
    cited = [name for name in IN_FORCE if name in rule.basis]
    if cited:
        # the rule carries the date of one of the laws it cites (several: the latest one's)
        assert rule.effective_from == max(IN_FORCE[name] for name in cited), rule.basis
    else:
        assert rule.tag == "R" and rule.effective_from == LOCAL, rule.basis
    if rule.tag == "R":
        assert rule.is_configurable, f"{rule.id} is tagged R and must be configurable"


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_every_event_has_its_label(rule):
    for code in (rule.trigger, rule.purpose):
        if code and code not in VARIANTS.values():  # a variant is recorded as its event
            assert code in EVENT_LABELS, code
    if rule.follows:
        assert get_rule(rule.follows).channel == rule.channel
        assert rule in followers(rule.follows)


def test_rules_other_than_order_81_no_longer_claim_its_date():
    """Before issue 12 every rule said 2025-02-01, also those of the patent law or the exhibitions."""
    assert get_rule("adj.lawsuit_window").effective_from == date(2021, 6, 1)
    assert get_rule("sta.forward").effective_from == date(2006, 3, 1)
    assert get_rule("inj.review_decision").effective_from == date(2019, 1, 1)
    assert get_rule("med.judicial_confirmation").effective_from == date(2011, 1, 1)
    # a period started before 2025 still finds its rule
    assert get_rule("adj.lawsuit_window", date(2024, 5, 1)).length == 15


#: the periods issue 12 adds: (id, channel, trigger, unit, length, article in the basis, tag)
ADDED = [
    ("adj.advisory_after_receipt", "adjudication", "warning_demand_received", Unit.months, 1, "第十三条", "V"),
    ("adj.advisory_after_sending", "adjudication", "warning_demand_sent", Unit.months, 2, "第十三条", "V"),
    ("adj.limitation", "adjudication", "infringement_known", Unit.years, 3, "第十九条", "V"),
    ("adj.defence_resubmission", "adjudication", "unsigned_defence_returned", Unit.days, 3, "办案指南", "V"),
    ("adj.hearing_reply", "adjudication", "hearing_notice_received", Unit.days, 3, "回执", "V"),
    ("adj.reschedule_request", "adjudication", "hearing_scheduled", Unit.days, 3, "口头审理通知书", "V"),
    ("adj.rightholder_enforcement", "adjudication", "office_enforcement_lapsed", Unit.months, 6, "第八十条", "V"),
    ("adj.collect_preserved", "adjudication", "preservation_released", Unit.months, 3, "解除证据登记保存", "V"),
    ("adj.major_docket", "adjudication", "request_received_major", Unit.working_days, 5, "重大专利", "V"),
    ("adj.major_time_limit", "adjudication", "docketed_major", Unit.months, 3, "第二十二条", "V"),
    ("med.ownership_resume_request", "mediation", "ownership_agreement_effective", Unit.days, 15, "第七十条", "V"),
    (
        "med.ownership_copy_documents",
        "mediation",
        "ownership_agreement_effective",
        Unit.working_days,
        5,
        "第七十条",
        "V",
    ),
    ("med.cnipa_resumption", "mediation", "cnipa_suspended", Unit.years, 1, "第一百零三条", "V"),
    ("med.refusal_after_silence", "mediation", "statement_period_expired", Unit.working_days, 5, "第六十六条", "V"),
    (
        "adj.publication_of_change",
        "adjudication",
        "decision_changed_by_court",
        Unit.working_days,
        20,
        "第八十三条",
        "V",
    ),
    ("inj.review_application", "injunction", "injunction_served", Unit.days, 5, "第十四条", "R"),
    ("inj.follow_on_filing", "injunction", "injunction_granted", Unit.days, 30, "三十日", "R"),
    ("inj.renewal", "injunction", "injunction_granted", Unit.days, 1, "第十三条", "R"),
    ("med.payment_due", "mediation", "agreement_effective", Unit.days, 1, "调解协议", "R"),
    ("adj.tech_investigator_notice", "adjudication", "tech_investigator_assigned", Unit.days, 3, "技术调查官", "V"),
]


@pytest.mark.parametrize(("rule_id", "channel", "trigger", "unit", "length", "article", "tag"), ADDED)
def test_the_periods_of_domain_md_are_in_the_catalogue(rule_id, channel, trigger, unit, length, article, tag):
    rule = get_rule(rule_id)
    assert (rule.channel, rule.trigger, rule.unit, rule.length, rule.tag) == (channel, trigger, unit, length, tag)
    assert article in rule.basis + rule.title


def test_the_defence_period_is_extended_by_the_panel():
    """A4: an extension with reasons and the panel's approval, given by the panel leader."""
    for rule_id in ("adj.defence", "adj.defence_abroad"):
        rule = get_rule(rule_id)
        assert rule.extension_approver == "panel_leader" and rule.director_extension == r.DEFENCE_EXTENSION_DAYS
        assert rule.extension_unit == Unit.days
    assert all(x.extension_approver == "director" for x in RULES if x.id not in {"adj.defence", "adj.defence_abroad"})


def test_information_and_back_counted_rules_are_no_clocks():
    """The 3-year limitation is shown from a date, never started; the reschedule request is checked
    back from the hearing. Neither is offered by the event recorder."""
    assert not get_rule("adj.limitation").is_clock
    assert not get_rule("adj.reschedule_request").is_clock and get_rule("adj.reschedule_request").counts_back
    events = channel_events("adjudication")
    assert "infringement_known" not in events and "hearing_scheduled" not in events
    # a rule that follows another's expiry starts by itself
    assert "office_enforcement_lapsed" not in events and "rightholder_enforcement_applied" in events
    assert "statement_period_expired" not in channel_events("mediation")


def test_the_major_variant_replaces_the_ordinary_periods():
    assert MAJOR_VARIANTS[("adjudication", "request_received")] == ("request_received_major", {"adj.docket"})
    assert MAJOR_VARIANTS[("adjudication", "docketed")] == ("docketed_major", {"adj.time_limit"})


def _due(rule_id, started_at, length=None):
    rule = get_rule(rule_id)
    return due_result(
        package_calendar(), rule, started_at=started_at, length=length or rule.length, today=date(2026, 11, 24)
    ).due


#: Tuesday 2026-11-24 10:00 in China
NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("rule_id", "started_at", "due"),
    [
        ("adj.advisory_after_receipt", NOW, date(2026, 12, 24)),
        ("adj.advisory_after_sending", NOW, date(2027, 1, 25)),  # 01-24 is a Sunday
        # 29 February 2024 (China time) + 3 years: 28 February 2027, a Sunday → Monday 1 March
        ("adj.limitation", datetime(2024, 2, 28, 17, 0, tzinfo=UTC), date(2027, 3, 1)),
        ("adj.defence_resubmission", NOW, date(2026, 11, 27)),
        ("adj.hearing_reply", NOW, date(2026, 11, 27)),
        ("adj.collect_preserved", NOW, date(2027, 2, 24)),
        ("adj.publication_of_change", NOW, date(2026, 12, 22)),  # 20 working days
        ("adj.tech_investigator_notice", NOW, date(2026, 11, 27)),
        ("adj.major_docket", NOW, date(2026, 12, 1)),
        ("adj.major_time_limit", NOW, date(2027, 2, 24)),
        # the office's 3 months ended on 2026-10-08 (after National Day): 6 months from then
        ("adj.rightholder_enforcement", datetime(2026, 10, 8, 15, 59, 59, tzinfo=UTC), date(2027, 4, 8)),
        ("med.refusal_after_silence", datetime(2026, 11, 17, 15, 59, 59, tzinfo=UTC), date(2026, 11, 24)),
        ("med.ownership_resume_request", NOW, date(2026, 12, 9)),
        ("med.ownership_copy_documents", NOW, date(2026, 12, 1)),
        ("med.cnipa_resumption", NOW, date(2027, 11, 24)),
        ("inj.review_application", NOW, date(2026, 11, 30)),  # 11-29 is a Sunday
        ("inj.follow_on_filing", NOW, date(2026, 12, 24)),
    ],
)
def test_due_dates_on_the_real_calendar(rule_id, started_at, due):
    assert _due(rule_id, started_at) == due
