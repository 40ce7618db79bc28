"""Helpers shared by the foundation tests: intake form data, data builders, a per-request client."""

from typing import Any

from flask import g
from flask.testing import FlaskClient

from ipcase.cases import operations as ops
from ipcase.cases.enums import AgentAuthority, PartyRole, RightType
from ipcase.cases.models import Case, Party
from ipcase.core.extensions import db
from ipcase.core.identifiers import patent_check_char
from tests import factories

#: a valid utility-model patent number (type digit 2) other than factories.PATENT
OTHER_PATENT = "ZL201820123456.0"


def patent_number(serial: int, *, year: int = 2019, type_digit: str = "2") -> str:
    """A valid canonical patent number; different serials give different numbers."""
    digits = f"{year}{type_digit}{serial:07d}"
    return f"ZL{digits}.{patent_check_char(digits)}"


def open_case_form(channel: str = "adjudication", organisation_id: int | None = None, **overrides: Any) -> dict:
    """The POST body of /cases/new for ``channel``; ``overrides`` use the form's field names."""
    data = {
        "channel": channel,
        "organisation_id": str(organisation_id or factories.org("cdip").id),
        "source": "walk_in",
        "jurisdiction_basis": "place_of_infringement",
        "title": "“一种折叠椅”实用新型专利侵权纠纷",
        "summary": "请求人称被请求人在展会上许诺销售侵权产品。",
        "received_at": "2026-11-20T09:30",
        "requester-kind": "legal_person",
        "requester-name": "成都某某科技有限公司",
        "requester-legal_rep_name": "张三",
        "requester-id_type": "uscc",
        "requester-id_number": "91350100M000100Y43",
        "requester-address": "成都市高新区天府大道100号",
        "requester-origin": "mainland",
        "requester-has_domestic_domicile": "y",
        "respondent-kind": "natural_person",
        "respondent-name": "王五",
        "respondent-id_type": "resident_id",
        "respondent-id_number": "11010519491231002X",
        "respondent-origin": "mainland",
        "respondent-has_domestic_domicile": "y",
        "right-right_type": "patent",
        "right-number": "ZL 2017 1 0601862.3",
        "right-patent_type": "invention",
        "right-title": "一种折叠椅",
        "right-holder": "成都某某科技有限公司",
        "right-legal_status": "valid",
    }
    channel_fields = {
        "adjudication": {"requests": "停止许诺销售", "accused_product": "折叠椅 A-1"},
        "mediation": {"mediation_type": "administrative", "subject": "inventor_reward", "claimed_amount": "50000"},
        "station": {"booth": "3号馆 A-102", "source": "exhibition"},
        "injunction": {"urgency_facts": "展会明日闭幕", "requested_measures": "撤展", "bond_amount": "10000"},
    }
    return data | channel_fields[channel] | overrides


def agent_data(name: str = "李律师") -> dict[str, Any]:
    return {"name": name, "firm": "四川某律师事务所", "authority": AgentAuthority.general}


def add_agent(party: Party, name: str = "李律师") -> Any:
    return ops.add_agent(party, agent_data(name), actor=None)


def add_third_party(case: Case, name: str = "第三人有限公司") -> Party:
    return ops.add_party(case, factories.party_data(PartyRole.third_party, name), actor=None)


def add_patent(case: Case, number: str = OTHER_PATENT) -> Any:
    return ops.add_right(
        case, {"right_type": RightType.patent, "number": number, "title": "一种椅子", "holder": "某公司"}, actor=None
    )


def commit() -> None:
    """Commit the test's data (a SAVEPOINT release): error pages roll the session back."""
    db.session.commit()


class FreshClient(FlaskClient):
    """A test client whose requests do not inherit another request's user or language.

    The ``_transaction`` fixture keeps one app context pushed for the whole test and requests
    reuse it, so ``g`` outlives a request: Flask-Login's cached ``g._login_user`` would carry
    one client's user into another client's request (and a second login would be skipped as
    "already logged in"), and Flask-Babel's cached ``g._flask_babel`` would keep the first
    request's language after a switch. Both are forgotten before each request."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        if g:
            g.pop("_login_user", None)
            g.pop("_flask_babel", None)
        return super().open(*args, **kwargs)


def make_client_as(app: Any, username: str | None = None, lang: str | None = "en") -> FreshClient:
    """A new client, logged in through the real form when ``username`` is given.

    English by default, so assertions on messages do not depend on whether the zh_CN catalog
    is compiled; ``lang=None`` keeps the site's default language."""
    client = FreshClient(app, app.response_class, use_cookies=True)
    if lang:
        assert client.post("/language", data={"lang": lang}).status_code == 302
    if username is not None:
        response = client.post("/login", data={"username": username, "password": factories.PASSWORD})
        assert response.status_code == 302, f"login as {username} failed: {response.status_code}"
        assert response.headers["Location"] == "/cases/"
    return client
