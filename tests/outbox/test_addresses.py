"""A malformed e-mail address is refused where it is typed (the filing's receipt address, a
party's and an agent's address in the filing), not when sent."""

import pytest
import sqlalchemy as sa

from ipcase.core.extensions import db
from ipcase.core.outbox import OutboxMessage
from tests.cases.helpers import make_client_as
from tests.portal.helpers import step_data, submit, walk_steps

BAD = ["not-an-address", "a@", "someone@@example.org", "x y@example.org"]


@pytest.mark.parametrize("address", BAD)
def test_the_receipt_address_is_checked_on_the_form(app, address):
    client = make_client_as(app, None, "en")
    walk_steps(client)
    response = submit(client, email=address)
    assert response.status_code == 422
    assert db.session.scalars(sa.select(OutboxMessage)).all() == []


@pytest.mark.parametrize("field", ["requester-email", "agent1-email"])
def test_party_and_agent_addresses_are_checked_in_the_filing(app, field):
    client = make_client_as(app, None, "en")
    steps = step_data()
    assert client.post("/portal/file/adjudication/office", data=steps["office"]).status_code == 302
    response = client.post("/portal/file/adjudication/requester", data=steps["requester"] | {field: "not-an-address"})
    assert response.status_code == 422
