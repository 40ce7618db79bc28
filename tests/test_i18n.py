"""The Chinese catalog covers every UI string, and Chinese is the default language."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from flask import g
from flask.testing import FlaskClient

from ipcase.i18n import ROOT, catalog_problems, placeholders, po_path


def test_catalog_translates_every_source_string() -> None:
    problems = catalog_problems(ROOT)
    assert not problems, (
        f"{len(problems)} problem(s) in the zh_CN catalog; update it as the docstring of "
        "ipcase/i18n.py explains:\n" + "\n".join(problems)
    )


def page(client: FlaskClient, path: str) -> str:
    # The test's app context (tests/conftest.py) outlives each request, so Flask-Babel's
    # per-context cache on ``g`` would keep the first request's language: drop it.
    g.pop("_flask_babel", None)
    response = client.get(path)
    assert response.status_code == 200, f"GET {path}: {response.status_code}"
    return response.get_data(as_text=True)


def switch_language(client: FlaskClient, lang: str, next_path: str) -> None:
    response = client.post("/language", data={"lang": lang, "next": next_path})
    assert response.status_code == 302
    assert response.headers["Location"] == next_path


def test_pages_are_chinese_by_default_and_english_on_request(client, login_as) -> None:
    login = page(client, "/login")
    assert '<html lang="zh-CN">' in login
    assert "登录" in login
    assert "Log in" not in login

    switch_language(client, "en", "/login")
    login = page(client, "/login")
    assert '<html lang="en">' in login
    assert "Log in" in login
    assert "登录" not in login

    switch_language(client, "zh_CN", "/login")
    login_as("examiner")
    cases = page(client, "/cases/")
    assert "案号" in cases  # the search box's placeholder, shown even when there is no case
    assert "案件类别" in cases  # a lazy form label, translated per request
    assert "Case number" not in cases

    switch_language(client, "en", "/cases/")
    cases = page(client, "/cases/")
    assert "Case number" in cases
    assert "Channel" in cases
    assert "案号" not in cases


def test_catalog_problems_finds_a_broken_catalog(tmp_path: Path) -> None:
    with po_path(ROOT).open("rb") as fileobj:
        catalog = read_po(fileobj)
    entries = [m for m in catalog if m.id and not m.pluralizable]
    plain = [m for m in entries if "%" not in m.id]
    named = next(m for m in entries if "%(" in m.id)
    plural = next((m for m in catalog if m.id and m.pluralizable and "%(" in m.id[0]), None)

    emptied, removed, fuzzy, stray = plain[0], plain[1], plain[2], plain[3]
    emptied.string = ""
    del catalog[removed.id]
    fuzzy.flags.add("fuzzy")
    stray.string += " 100%"
    named.string = re.sub(r"%\([^)]*\)[sd]", "", named.string)
    if plural is not None:
        plural.string = tuple(re.sub(r"%\([^)]*\)[sd]", "", s) for s in plural.string)
    broken = tmp_path / "messages.po"
    with broken.open("wb") as fileobj:
        write_po(fileobj, catalog)

    problems = "\n".join(catalog_problems(ROOT, po_file=broken))
    assert f"no translation: {emptied.id!r}" in problems
    assert f"not in {broken}: {removed.id!r}" in problems
    assert f"fuzzy translation (check it and remove the flag): {fuzzy.id!r}" in problems
    assert f"placeholders differ in msgstr of {stray.id!r}" in problems
    assert f"placeholders differ in msgstr of {named.id!r}" in problems
    if plural is not None:
        assert f"placeholders differ in msgstr[0] of {plural.id[0]!r}" in problems


@pytest.mark.parametrize(
    ("msgid", "msgstr", "same"),
    [
        ("Case %(number)s opened.", "案件%(number)s已登记。", True),
        ("%(user)s assigned as %(role)s", "指定%(user)s为%(role)s", True),  # order may change
        ("%(name)s cannot serve as %(role)s.", "%(name)s不能担任该角色。", False),
        ("A password needs %(n)d characters.", "密码需要%(n)s个字符。", False),
        ("Saved.", "已保存 100%。", False),  # a stray % breaks newstyle Jinja gettext
        ("Saved.", "已保存。", True),
        ("%s of %s", "%s／%s", True),
        ("%s of %s", "%s", False),
    ],
)
def test_placeholders(msgid: str, msgstr: str, same: bool) -> None:
    assert (placeholders(msgid) == placeholders(msgstr)) is same
