"""Structured step details: stored as plain JSON, shown with their labels in the reader's language."""

from datetime import date, datetime
from decimal import Decimal

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, DecimalField, SelectField, StringField

from ipcase.cases.models import TimelineEntry
from ipcase.cases.timeline import render_entry
from ipcase.channels.forms import StepForm, describe, detail_names, to_json
from ipcase.core.forms import opts


class SampleForm(StepForm):
    amount = DecimalField(_l("Amount claimed"))
    outcome = SelectField(_l("Outcome"), choices=opts([("won", _l("Case closed")), ("lost", _l("Refused"))]))
    on = DateField(_l("Grant date"))
    online = BooleanField(_l("Online"))
    place = StringField(_l("Address"))


def test_detail_names_follow_declaration_order_and_skip_the_common_fields():
    assert detail_names(SampleForm) == ["amount", "outcome", "on", "online", "place"]
    assert detail_names(None) == []


def test_values_are_stored_as_json_scalars():
    assert to_json(Decimal("12.50")) == "12.50"
    assert to_json(date(2026, 11, 24)) == "2026-11-24"
    assert to_json(datetime(2026, 11, 24, 9, 30)) == "2026-11-24T09:30:00"
    assert to_json([Decimal("1"), "a"]) == ["1", "a"]


def test_describe_labels_values_in_the_readers_language(app):
    values = {"amount": "12.50", "outcome": "won", "on": "2026-11-24", "online": True, "place": ""}
    with app.test_request_context(), force_locale("en"):
        pairs = describe(SampleForm, values)
    assert pairs == [
        ("Amount claimed", "12.50"),
        ("Outcome", "Case closed"),
        ("Grant date", "2026-11-24"),
        ("Online", "yes"),
    ]
    with app.test_request_context(), force_locale("zh_CN"):
        zh = dict(describe(SampleForm, values))
    assert "Amount claimed" not in zh  # labels come from the catalogue
    assert zh["请求金额"] == "12.50"


def test_details_of_an_unknown_step_are_shown_raw(app):
    entry = TimelineEntry(
        event="case.transition",
        data={
            "action": {"step": "gone", "channel": "adjudication"},
            "from": "a",
            "to": "b",
            "reason": "r",
            "details": {"x": "1"},
        },
    )
    with app.test_request_context(), force_locale("en"):
        assert render_entry(entry).endswith("x: 1")
