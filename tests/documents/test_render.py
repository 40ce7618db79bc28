"""Rendering: a plain snapshot to HTML and PDF, the layout's content, embedded fonts, the
fetcher's allowlist, the template version and the subsetter report."""

import copy
import logging

import pytest
from fontTools.ttLib import TTFont

from ipcase.documents import fonts, render
from tests.documents.conftest import needs_poppler, pdf_fonts, pdf_text

SNAPSHOT = {
    "kind": "docketing_notice",
    "title": "受理通知书",
    "office": {
        "name": "成都市知识产权局",
        "abbr": "成知",
        "address": "成都市锦江区",
        "postcode": "610000",
        "phone": "",
    },
    "case": {
        "id": 1,
        "number": "成知裁字〔2026〕7号",
        "cause": "“一种折叠椅”实用新型专利侵权纠纷",
        "channel": "adjudication",
        "received_on": "2026-11-20",
        "docketed_on": "2026-11-23",
        "closed_on": None,
    },
    "roles": {"requester": "请求人", "respondent": "被请求人", "third_party": "第三人"},
    "parties": [
        {
            "id": 1,
            "role": "requester",
            "role_zh": "请求人",
            "kind": "legal_person",
            "is_person": False,
            "name": "成都某某科技有限公司",
            "id_type_zh": "",
            "id_number": "",
            "legal_rep_name": "张三",
            "legal_rep_title": "",
            "address": "成都市高新区",
            "postcode": "",
            "phone": "",
            "has_domestic_domicile": True,
            "agents": [
                {"name": "李律师", "firm": "四川某某律师事务所", "address": "", "phone": "", "authority_zh": "特别授权"}
            ],
        },
        {
            "id": 2,
            "role": "respondent",
            "role_zh": "被请求人",
            "kind": "natural_person",
            "is_person": True,
            "name": "王五",
            "id_type_zh": "居民身份证",
            "id_number": "11010519491231002X",
            "legal_rep_name": "",
            "legal_rep_title": "",
            "address": "",
            "postcode": "",
            "phone": "",
            "has_domestic_domicile": True,
            "agents": [],
        },
    ],
    "rights": [
        {
            "number": "ZL201710601862.3",
            "title": "一种折叠椅",
            "holder": "成都某某科技有限公司",
            "type_zh": "实用新型专利",
            "filed_on": None,
            "granted_on": None,
            "asserted_claims": "",
        }
    ],
    "staff": {
        "all": [],
        "panel": [{"name": "赵组长", "role": "panel_leader", "role_zh": "合议组组长"}],
        "clerk": [],
        "mediators": [],
        "handler": {"name": "钱承办", "phone": "028-12345678"},
    },
    "fields": {"addressee": 1, "docketed_on": "2026-11-23", "note": ""},
    "issued_on": "2026-11-24",
    "basis": ["《专利纠纷行政裁决和调解办法》第十二条、第二十条"],
    "addressee": {"name": "成都某某科技有限公司", "role": "requester"},
    "cc": "",
    "copies": "本文书一式两份，一份送达成都某某科技有限公司，一份存档。",
    "meta": {
        "number": "成知立〔2026〕3号",
        "verify_code": "ABCD2345",
        "verify_page": "https://ipcase.test/verify",
        "verify_url": "https://ipcase.test/verify?number=x&code=ABCD2345",
        "corrects": None,
    },
}


@pytest.fixture(scope="module")
def rendered(app):
    """One rendering shared by the module's tests (rendering is the slow part)."""
    with app.test_request_context():
        return render.render_pdf("docketing_notice", SNAPSHOT)


@needs_poppler
def test_pdf_text_has_number_parties_basis_and_chinese_date(rendered):
    words = pdf_text(rendered)
    for expected in (
        "成都市知识产权局",
        "成知立〔2026〕3号",
        "受理通知书",
        "成都某某科技有限公司",
        "王五",
        "《专利纠纷行政裁决和调解办法》第十二条、第二十条",
        "二〇二六年十一月二十四日",
        "二〇二六年十一月二十三日",
        "ABCD2345",
        "—1—",
    ):
        assert expected in words, expected


@needs_poppler
def test_fonts_are_embedded_subsets(rendered, tmp_path):
    rows = pdf_fonts(rendered, tmp_path)
    assert rows, "no font in the PDF"
    for row in rows:
        # name type... encoding emb sub uni object ID: emb and sub are the 5th and 4th from the end
        assert row[-5:-3] == ["yes", "yes"], row
    assert any("DocSerif" in row[0] for row in rows)


def test_pdf_is_small(rendered):
    assert rendered.startswith(b"%PDF-")
    assert len(rendered) < 300_000


def test_text_typed_by_staff_cannot_add_markup(app):
    snapshot = copy.deepcopy(SNAPSHOT)
    snapshot["fields"]["note"] = '<img src="file:///etc/passwd"><b>粗体</b>'
    with app.test_request_context():
        html = render.render_html("docketing_notice", snapshot)
    assert "<img src=" not in html
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
        "http://example.com/x.css",
        "https://example.com/font.otf",
        "data:text/css,body{}",
        "ipcase-static:../../config.py",
        "ipcase-static:../css/app.css",
        "ipcase-static:/etc/passwd",
        "ipcase-static:official.css/../../../templates/base.html",
        "ipcase-font:../../../etc/passwd",
        "ipcase-font:unknown",
        "//example.com/x.png",
        "ipcase-qr:",
        "ipcase-qr:" + "a" * 501,
    ],
)
def test_fetcher_refuses_everything_outside_the_allowlist(app, url):
    with app.app_context():
        fetcher = render.make_fetcher()
        with pytest.raises(render.RefusedURL):
            fetcher.fetch(url)
        assert fetcher.refused == [url]


def test_fetcher_serves_document_styles_and_fonts(app):
    with app.app_context():
        fetcher = render.make_fetcher()
        css = fetcher.fetch("ipcase-static:official.css")
        assert b"@page" in css.read()
        qr = fetcher.fetch("ipcase-qr:https%3A%2F%2Fipcase.test%2Fverify%3Fcode%3DABCD2345")
        assert qr.read(8) == b"\x89PNG\r\n\x1a\n"
        if render.font_path("serif") is not None:
            font = fetcher.fetch("ipcase-font:serif")
            assert len(font.read(4)) == 4


def test_foreign_resources_in_a_page_are_refused_while_rendering(app, monkeypatch):
    made = []

    def spy() -> object:
        fetcher = render._fetcher_class()(render.static_root(), render.font_cache_dir())
        made.append(fetcher)
        return fetcher

    monkeypatch.setattr(render, "make_fetcher", spy)
    html = (
        '<html><head><link rel="stylesheet" href="file:///etc/passwd">'
        '<link rel="stylesheet" href="http://127.0.0.1:9/x.css"></head>'
        '<body><img src="http://127.0.0.1:9/track.png"><p>x</p></body></html>'
    )
    with app.app_context():
        pdf = render.html_to_pdf(html)
    assert pdf.startswith(b"%PDF-")
    assert set(made[0].refused) == {"file:///etc/passwd", "http://127.0.0.1:9/x.css", "http://127.0.0.1:9/track.png"}


def test_template_version_hashes_the_sources(app):
    with app.app_context():
        one = render.template_version("docketing_notice")
        assert one == render.template_version("docketing_notice")
        assert one != render.template_version("defence_notice")
        assert len(one) == 16


def test_subsetter_report_and_warning(monkeypatch, caplog):
    report = render.subsetter_report()
    assert report["subsetter"] in ("harfbuzz", "fonttools")
    assert report["is_fast"] == (report["subsetter"] == "harfbuzz")
    slow = dict(report, is_fast=False, subsetter="fonttools", fonts_missing=[])
    monkeypatch.setattr(render, "subsetter_report", lambda: slow)
    logger = logging.getLogger("ipcase.test.documents")
    with caplog.at_level(logging.INFO, logger="ipcase.test.documents"):
        render.log_subsetter(logger)
    assert any(r.levelno == logging.WARNING and "fontTools" in r.getMessage() for r in caplog.records)


def test_document_charset_covers_official_text():
    chars = set(fonts.document_charset())
    for ch in "成都市知识产权局裁决书〔〕二〇号：，。“”（）—ABC123":
        assert ord(ch) in chars, ch
    assert 6763 < len(chars) < 10000


def test_compact_font_has_few_glyphs(tmp_path):
    source = render.font_path("serif")
    if source is None or fonts._libs() is None:
        pytest.skip("Noto CJK or HarfBuzz-Subset not installed")

    built = fonts.compact_font(source, tmp_path)
    assert built is not None and built.is_file()
    font = TTFont(str(built))
    assert font["name"].getDebugName(1) == "Noto Serif CJK SC"
    assert font["maxp"].numGlyphs < 10_000
    assert ord("裁") in font.getBestCmap()
    # cached: the same file is returned without building again
    assert fonts.compact_font(source, tmp_path) == built
