"""The signals lower layers announce and higher ones hear (core/events.py), and the channel registry
the case file looks channels up in (cases/registry.py): the app never runs with a check unheard."""

import pytest

from ipcase.cases.enums import Channel
from ipcase.cases.registry import CHANNELS, all_channels, get_channel
from ipcase.core import events


def test_every_required_signal_has_its_receiver_in_the_app(app):
    anyone = object()  # receivers connected for every sender
    heard = {signal.name: [r.__module__ for r in signal.receivers_for(anyone)] for signal in events.REQUIRED}
    assert "ipcase.deadlines.triggers" in heard["case-opened"]
    assert "ipcase.pools.operations" in heard["assignment-checked"]
    assert "ipcase.deadlines.triggers" in heard["staff-assigned"]
    assert "ipcase.deadlines.notify" in heard["login-attacked"]
    events.require_receivers()  # nothing missing


def test_the_app_refuses_to_start_when_a_signal_has_no_receiver(monkeypatch):
    monkeypatch.setattr(events.assignment_checked, "receivers", {})
    with pytest.raises(RuntimeError, match="no receiver for assignment-checked"):
        events.require_receivers()


def test_a_refusal_by_a_receiver_reaches_the_sender_and_warnings_come_back(app, users, create_case):
    case = create_case()
    seen = []

    def warn(sender, **kwargs):
        seen.append((sender, kwargs["role"]))
        return [{"text": "x"}]

    events.assignment_checked.connect(warn)
    try:
        results = events.assignment_checked.send(case, user=users["examiner"], role="clerk", acknowledge_warnings=True)
    finally:
        events.assignment_checked.disconnect(warn)
    assert seen == [(case, "clerk")]
    assert [{"text": "x"}] in [found for _receiver, found in results]


def test_an_unregistered_channel_is_named(monkeypatch):
    monkeypatch.delitem(CHANNELS, Channel.injunction)
    with pytest.raises(LookupError, match=r"not registered: import ipcase\.channels"):
        get_channel(Channel.injunction)
    with pytest.raises(LookupError, match="not registered"):
        all_channels()


def test_the_four_channels_are_registered_by_importing_the_package(app):
    assert [c.key for c in all_channels()] == list(Channel)
    assert get_channel("adjudication").workflow is not None
