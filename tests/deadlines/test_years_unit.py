"""The years unit in the web calculator ([85]19: 3 years; P2 with 29 February → 28 February)."""

import pytest

from tests.deadlines.test_views import calendar, client_as, now, text  # noqa: F401  (fixtures)


def test_calculator_offers_years(client_as, calendar, now):  # noqa: F811
    client = client_as("examiner")
    page = text(client.get("/deadlines/calculator"))
    assert '<option value="years">years</option>' in page
    response = client.post("/deadlines/calculator", data={"start": "2020-02-29", "unit": "years", "length": "1"})
    body = text(response)
    assert response.status_code == 200, body
    assert "2021-02-28: the final year has no 29 February, so 28 February is used" in body
    assert "<strong>2021-03-01</strong>" in body
    response = client.post("/deadlines/calculator", data={"start": "2021-02-26", "unit": "years", "length": "3"})
    assert "<strong>2024-02-26</strong>" in text(response)


@pytest.mark.parametrize(("length", "message"), [("11", "At most 10 for this unit."), ("0", "at least 1")])
def test_calculator_caps_years(client_as, calendar, now, length, message):  # noqa: F811
    response = client_as("examiner").post(
        "/deadlines/calculator", data={"start": "2026-09-30", "unit": "years", "length": length}
    )
    assert response.status_code == 422
    assert message in text(response)


def test_calculator_years_in_chinese(client_as, calendar, now):  # noqa: F811
    client = client_as("examiner")
    client.post("/language", data={"lang": "zh_CN"})
    response = client.post("/deadlines/calculator", data={"start": "2020-02-29", "unit": "years", "length": "1"})
    body = text(response)
    assert "最后一年没有2月29日" in body
    assert ">年</option>" in body
