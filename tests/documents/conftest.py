"""Fixtures of the documents tests: a docketed adjudication case with a panel and an agent,
text extraction from PDFs (poppler's pdftotext), and per-test clients."""

import shutil
import subprocess
from datetime import UTC, datetime
from typing import Any

import pytest

from ipcase.cases.enums import AgentAuthority, AssignmentRole, Channel
from ipcase.cases.models import Agent
from ipcase.cases.operations import assign_staff
from ipcase.core.extensions import db
from tests.cases.helpers import make_client_as

#: the instant the documents tests are written for (their modules pin it with ``frozen_at``)
NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
RECEIVED = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)

PDFTOTEXT = shutil.which("pdftotext")
PDFFONTS = shutil.which("pdffonts")
needs_poppler = pytest.mark.skipif(not PDFTOTEXT or not PDFFONTS, reason="poppler-utils not installed")


def pdf_text(content: bytes) -> str:
    """The text of a PDF, without line breaks (Chinese lines break anywhere)."""
    out = subprocess.run([PDFTOTEXT, "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True)  # noqa: S603
    return "".join(out.stdout.decode("utf-8").split())


def pdf_fonts(content: bytes, tmp_path: Any) -> list[list[str]]:
    """pdffonts' rows: name, type, encoding, emb, sub, uni ..."""
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    out = subprocess.run([PDFFONTS, str(path)], capture_output=True, check=True, text=True)  # noqa: S603
    return [line.split() for line in out.stdout.splitlines()[2:] if line.strip()]


@pytest.fixture
def client_as(app):
    return lambda username=None, lang="en": make_client_as(app, username, lang)


@pytest.fixture
def text():
    return lambda response: response.get_data(as_text=True)


@pytest.fixture
def case(app, create_case, users, frozen_now):
    """An adjudication case of cdip handled by ``examiner``: a panel of three, the requester's agent."""
    c = create_case(Channel.adjudication, actor=users["examiner"], received_at=RECEIVED)
    assign_staff(c, users["director"], AssignmentRole.panel_leader, actor=users["director"])
    assign_staff(c, users["examiner2"], AssignmentRole.panel_member, actor=users["director"])
    assign_staff(c, users["examiner3"], AssignmentRole.panel_member, actor=users["director"])
    db.session.add(
        Agent(
            party=c.requesters[0],
            position=1,
            name="李律师",
            firm="四川某某律师事务所",
            authority=AgentAuthority.special,
        )
    )
    db.session.flush()
    return c
