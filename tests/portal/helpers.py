"""Helpers of the portal tests: a filing walked through its steps, and portal sessions."""

import io
from typing import Any

from flask.testing import FlaskClient

from tests import factories

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64

REQUESTER = "成都在线科技有限公司"
RESPONDENT = "四川在线贸易有限公司"
PATENT = "ZL 2017 1 0601862.3"


def step_data(channel: str = "adjudication") -> dict[str, dict[str, str]]:
    """The POST body of every filing step, in order."""
    request = {
        "requests": "责令被请求人停止许诺销售、销售侵权折叠椅",
        "facts": "被请求人在其网店销售的折叠椅落入涉案专利权利要求1的保护范围。",
    }
    request |= {
        "adjudication": {"accused_product": "折叠椅 A-1"},
        "mediation": {"mediation_type": "administrative", "subject": "inventor_reward", "claimed_amount": "30000"},
        "station": {"booth": "3号馆 A-102"},
        "injunction": {"urgency_facts": "展会明日闭幕", "bond_amount": "50000", "bond_form": "银行保函"},
    }[channel]
    office = {"adjudication": "cdip", "mediation": "cdmed", "station": "cdexpo", "injunction": "cdip"}[channel]
    return {
        "office": {"organisation_id": str(factories.org(office).id)},
        "requester": {
            "requester-kind": "legal_person",
            "requester-name": REQUESTER,
            "requester-legal_rep_name": "张三",
            "requester-id_type": "uscc",
            "requester-id_number": "91350100M000100Y43",
            "requester-address": "成都市高新区天府大道100号",
            "requester-origin": "mainland",
            "requester-has_domestic_domicile": "y",
            "agent1-name": "李律师",
            "agent1-firm": "四川某律师事务所",
            "agent1-authority": "general",
            "agent2-authority": "general",
        },
        "respondent": {
            "respondent-kind": "legal_person",
            "respondent-name": RESPONDENT,
            "respondent-legal_rep_name": "王五",
            "respondent-address": "成都市武侯区某路1号",
            "respondent-origin": "mainland",
            "respondent-has_domestic_domicile": "y",
        },
        "right": {
            "right-right_type": "patent",
            "right-number": PATENT,
            "right-title": "一种折叠椅",
            "right-holder": REQUESTER,
            "right-legal_status": "valid",
        },
        "request": request,
        "evidence": {
            "rows-0-title": "专利证书",
            "rows-0-purpose": "请求人是专利权人",
            "rows-0-pages": "2",
            "rows-0-form": "copy",
            "rows-1-title": "公证书",
            "rows-1-purpose": "被请求人销售侵权产品",
            "rows-1-form": "original",
        },
    }


def walk_steps(client: FlaskClient, channel: str = "adjudication", **overrides: dict[str, str]) -> None:
    """Post every step (with ``overrides`` per step name), asserting each moves on."""
    for step, data in step_data(channel).items():
        response = client.post(f"/portal/file/{channel}/{step}", data=data | overrides.get(step, {}))
        assert response.status_code == 302, (step, response.status_code, response.get_data(as_text=True)[:3000])


def submit(client: FlaskClient, channel: str = "adjudication", files: dict[str, Any] | None = None, **data: Any) -> Any:
    """Send the reviewed filing; ``files`` maps field names to (bytes, filename)."""
    body: dict[str, Any] = {"confirm": "y"} | data
    for name, (content, filename) in (files or {}).items():
        body[name] = (io.BytesIO(content), filename)
    return client.post(f"/portal/file/{channel}/review", data=body, content_type="multipart/form-data")


def file_online(client: FlaskClient, channel: str = "adjudication", files: dict[str, Any] | None = None) -> Any:
    walk_steps(client, channel)
    response = submit(client, channel, files=files)
    assert response.status_code == 200, response.get_data(as_text=True)[:3000]
    return response


def enter(client: FlaskClient, reference: str, code: str) -> Any:
    return client.post("/portal/status/access", data={"reference": reference, "code": code})
