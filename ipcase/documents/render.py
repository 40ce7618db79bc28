"""From a plain data snapshot to HTML and to PDF (WeasyPrint), safely and fast.

Safety (style §G, Indico ``IndicoURLFetcher``): WeasyPrint fetches only through
:class:`DocumentFetcher`, which serves the project's own document styles and images
(``ipcase-static:``), the Noto CJK fonts (``ipcase-font:``) and QR codes it draws itself from
a short payload (``ipcase-qr:``), and refuses
everything else — ``file://``, ``http(s)://``, ``data:`` — and logs the attempt. A snapshot is
plain data put through Jinja's autoescaping, so text typed by staff cannot add markup.

Speed: a 2-page Chinese notice takes ~0.1 s when WeasyPrint subsets the fonts with HarfBuzz
(``libharfbuzz-subset0``) and seconds with fontTools; :func:`subsetter_report` says which one
this process uses. One font configuration is kept per process so the 26 MB font collections are
read once, and renders are serialised by a lock (Pango and Fontconfig are not thread-safe).
"""

import atexit
import base64
import ctypes
import ctypes.util
import hashlib
import io
import logging
import threading
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import segno
from flask import current_app, render_template, url_for

from ipcase.documents.chinese import arabic_date, chinese_date, chinese_number
from ipcase.documents.fonts import compact_font
from ipcase.documents.wording import numbered_terms

log = logging.getLogger(__name__)

STATIC_SCHEME = "ipcase-static:"
FONT_SCHEME = "ipcase-font:"
#: the only static folder documents may use, and the file types served from it
STATIC_SUBDIR = "documents"
STATIC_SUFFIXES = {".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg"}

#: font name in ``fonts.css`` → file of the Debian package fonts-noto-cjk; documents embed the
#: compact Simplified Chinese cut of it (``documents.fonts``), characters outside it fall back to
#: the installed collection by family name
FONT_FILES = {
    "serif": "NotoSerifCJK-Regular.ttc",
    "serif-bold": "NotoSerifCJK-Bold.ttc",
    "sans": "NotoSansCJK-Regular.ttc",
}
FONT_DIRS = (
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/noto-cjk",
    "/usr/share/fonts/google-noto-cjk",
)

PDF_LAYOUT = "documents/pdf/_standalone.html"
PREVIEW_LAYOUT = "documents/preview.html"


class RefusedURL(ValueError):
    """A document asked for a resource outside the allowlist."""


def static_root() -> Path:
    return Path(current_app.static_folder or "") / STATIC_SUBDIR


@cache
def font_path(name: str) -> Path | None:
    """The system file for one of :data:`FONT_FILES`, or None when the package is missing."""
    filename = FONT_FILES.get(name)
    if filename is None:
        return None
    for folder in FONT_DIRS:
        candidate = Path(folder) / filename
        if candidate.is_file():
            return candidate
    return None


def _fetcher_class() -> type:
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: PLC0415  WeasyPrint adds ~0.5 s to start-up (measured), loaded on first render

    class DocumentFetcher(URLFetcher):
        """Serves the allowlist and nothing else (see the module docstring)."""

        def __init__(self, static_dir: Path, cache_dir: Path) -> None:
            super().__init__(allowed_protocols=(), fail_on_errors=False)
            self.static_dir = static_dir.resolve()
            self.cache_dir = cache_dir
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            source, content_type = self.resolve(url)
            content = qr_png(source) if isinstance(source, str) else source.read_bytes()
            return URLFetcherResponse(url, content, {"Content-Type": content_type})

        def resolve(self, url: str) -> tuple[Path | str, str]:
            """The allowed file behind ``url`` (or a QR code's payload); raises
            :class:`RefusedURL` for anything else."""
            if url.startswith(FONT_SCHEME):
                path = document_font(url[len(FONT_SCHEME) :], self.cache_dir)
                if path is not None:
                    return path, "font/otf" if path.suffix == ".otf" else "font/collection"
            elif url.startswith(QR_SCHEME):
                payload = unquote(url[len(QR_SCHEME) :])
                if 0 < len(payload) <= QR_MAX:
                    return payload, "image/png"
            elif url.startswith(STATIC_SCHEME):
                relative = url[len(STATIC_SCHEME) :].split("?", 1)[0].split("#", 1)[0]
                candidate = (self.static_dir / relative).resolve()
                if (
                    candidate.is_relative_to(self.static_dir)
                    and candidate.suffix in STATIC_SUFFIXES
                    and candidate.is_file()
                ):
                    return candidate, STATIC_SUFFIXES[candidate.suffix]
            self.refused.append(url)
            log.warning("document renderer refused to fetch %r", url[:200])
            raise RefusedURL(f"refused: {url[:200]}")

    return DocumentFetcher


def font_cache_dir() -> Path:
    return Path(current_app.instance_path) / "fonts"


def make_fetcher() -> Any:
    """A fresh fetcher bound to the app's document static folder and font cache."""
    return _fetcher_class()(static_root(), font_cache_dir())


def document_font(name: str, cache_dir: Path) -> Path | None:
    """The file served for font ``name``: the compact cut when it can be built, else the collection."""
    source = font_path(name)
    if source is None:
        return None
    return compact_font(source, cache_dir) or source


_lock = threading.Lock()
_font_config: Any = None


def _shared_font_config() -> Any:
    global _font_config
    if _font_config is None:
        from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415  WeasyPrint adds ~0.5 s to start-up (measured), loaded on first render

        _font_config = FontConfiguration()
        atexit.register(_drop_font_config)
    return _font_config


def _drop_font_config() -> None:
    """Remove the font configuration's temporary folder while the interpreter still can."""
    global _font_config
    _stylesheets.clear()
    _font_config = None


# -- templates ----------------------------------------------------------------------------------


def template_name(kind: str) -> str:
    return f"documents/pdf/{kind}.html"


def pdf_asset(path: str) -> str:
    return STATIC_SCHEME + path


def browser_asset(path: str) -> str:
    return url_for("static", filename=f"{STATIC_SUBDIR}/{path}")


QR_SCHEME = "ipcase-qr:"
#: a QR code's payload is a verification link, never long
QR_MAX = 500


def qr_png(payload: str) -> bytes:
    """The payload (a verification link) as a QR code PNG. The mask is fixed: every mask makes a
    valid code, and choosing the best of eight costs 40 ms per document."""
    out = io.BytesIO()
    segno.make(payload, error="m", micro=False, mask=0).save(out, kind="png", scale=6, border=0)
    return out.getvalue()


def pdf_qr(payload: str) -> str:
    """The URL of the QR image in a PDF: made by the fetcher from the payload, never fetched."""
    return QR_SCHEME + quote(payload, safe="")


def browser_qr(payload: str) -> str:
    return "data:image/png;base64," + base64.b64encode(qr_png(payload)).decode()


def _helpers() -> dict[str, Any]:
    def cn_date(value: Any) -> str:
        if not value:
            return ""
        return chinese_date(date.fromisoformat(value) if isinstance(value, str) else value)

    def ar_date(value: Any) -> str:
        if not value:
            return ""
        return arabic_date(date.fromisoformat(value) if isinstance(value, str) else value)

    return {"cn_date": cn_date, "ar_date": ar_date, "cn_number": chinese_number, "term_lines": numbered_terms}


def render_html(kind: str, snapshot: dict[str, Any], *, preview: bool = False, **context: Any) -> str:
    """The document as HTML: standalone for WeasyPrint, or inside the site layout for a preview
    (``context`` then carries the page's own variables, e.g. the form)."""
    values = {"doc": snapshot, "kind": kind, **_helpers(), **context}
    if preview:
        return render_template(
            template_name(kind), layout=PREVIEW_LAYOUT, pdf=False, asset=browser_asset, qr=browser_qr, **values
        )
    template = current_app.jinja_env.get_template(template_name(kind))
    return template.render(layout=PDF_LAYOUT, pdf=True, asset=pdf_asset, qr=pdf_qr, **values)


# -- PDF ----------------------------------------------------------------------------------------


#: the document styles, parsed once per process (they register the fonts with the shared font
#: configuration); reparsed when a file changes
STYLESHEETS = ("fonts.css", "official.css")
_stylesheets: dict[tuple[Any, ...], list[Any]] = {}


def _document_stylesheets(fetcher: Any, config: Any) -> list[Any]:
    from weasyprint import CSS  # noqa: PLC0415  WeasyPrint adds ~0.5 s to start-up (measured), loaded on first render

    paths = [static_root() / name for name in STYLESHEETS]
    key = tuple((p, p.stat().st_mtime_ns) for p in paths)
    if key not in _stylesheets:
        _stylesheets.clear()
        _stylesheets[key] = [
            CSS(string=p.read_text(encoding="utf-8"), url_fetcher=fetcher, font_config=config) for p in paths
        ]
    return _stylesheets[key]


def render_document(html: str) -> Any:
    """Lay out ``html`` with the document styles (a WeasyPrint ``Document``: pages that can be
    written or combined)."""
    from weasyprint import HTML  # noqa: PLC0415  WeasyPrint adds ~0.5 s to start-up (measured), loaded on first render

    with _lock:
        config = _shared_font_config()
        fetcher = make_fetcher()
        styles = _document_stylesheets(fetcher, config)
        return HTML(string=html, url_fetcher=fetcher).render(font_config=config, stylesheets=styles)


def write_pdf(document: Any) -> bytes:
    with _lock:
        return document.write_pdf()


def html_to_pdf(html: str) -> bytes:
    return write_pdf(render_document(html))


def render_pdf(kind: str, snapshot: dict[str, Any]) -> bytes:
    """The PDF of document ``kind`` for ``snapshot`` (plain data, see ``documents.snapshots``)."""
    return html_to_pdf(render_html(kind, snapshot))


def combine(documents: list[Any]) -> bytes:
    """Several laid-out documents as one PDF, each keeping its own page numbers."""
    if not documents:
        raise ValueError("nothing to combine")
    pages = [page for document in documents for page in document.pages]
    return write_pdf(documents[0].copy(pages))


# -- template version ---------------------------------------------------------------------------


def template_version(kind: str) -> str:
    """Hash of every source file the kind's rendering depends on: its template, the shared
    document templates (names starting with ``_``) and the document styles."""
    loader = current_app.jinja_loader
    root = Path(current_app.root_path).parent / "templates" / "documents" / "pdf"
    digest = hashlib.sha256()
    names = [template_name(kind), *sorted(f"documents/pdf/{p.name}" for p in root.glob("_*.html"))]
    for name in names:
        source, _filename, _uptodate = loader.get_source(current_app.jinja_env, name)  # type: ignore[union-attr]
        digest.update(name.encode() + b"\0" + source.encode() + b"\0")
    for css in sorted(static_root().glob("*.css")):
        digest.update(css.name.encode() + b"\0" + css.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


# -- which font subsetter ----------------------------------------------------------------------


def _harfbuzz_version() -> str:
    name = ctypes.util.find_library("harfbuzz") or "libharfbuzz.so.0"
    try:
        lib = ctypes.CDLL(name)
        lib.hb_version_string.restype = ctypes.c_char_p
        return lib.hb_version_string().decode()
    except (OSError, AttributeError):
        return ""


@cache
def subsetter_report() -> dict[str, Any]:
    """Which font subsetter WeasyPrint will use, the same test it makes itself
    (``weasyprint/pdf/fonts.py``: HarfBuzz-Subset present and HarfBuzz ≥ 4.1.0), and whether
    the CJK fonts are installed."""
    import weasyprint  # noqa: PLC0415  WeasyPrint adds ~0.5 s to start-up (measured), loaded on first render
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset  # noqa: PLC0415  WeasyPrint adds ~0.5 s to start-up (measured), loaded on first render

    has_subset = harfbuzz_subset is not None
    recent = bool(harfbuzz.hb_version_atleast(4, 1, 0))
    fast = has_subset and recent
    fonts = {name: str(p) if (p := font_path(name)) else None for name in FONT_FILES}
    return {
        "subsetter": "harfbuzz" if fast else "fonttools",
        "is_fast": fast,
        "has_harfbuzz_subset": has_subset,
        "harfbuzz_version": _harfbuzz_version(),
        "weasyprint_version": weasyprint.__version__,
        "fonts": fonts,
        "fonts_missing": sorted(name for name, p in fonts.items() if p is None),
    }


def log_subsetter(logger: logging.Logger | None = None) -> dict[str, Any]:
    """Log which subsetter documents will use; a warning when it is the slow one."""
    logger = logger or log
    report = subsetter_report()
    if report["is_fast"]:
        logger.info(
            "documents: fonts subset by HarfBuzz %s (WeasyPrint %s)",
            report["harfbuzz_version"],
            report["weasyprint_version"],
        )
    else:
        logger.warning(
            "documents: HarfBuzz-Subset not available (libharfbuzz-subset0 missing or HarfBuzz < 4.1): "
            "fonts are subset by fontTools and a Chinese PDF takes seconds instead of ~0.1 s"
        )
    if report["fonts_missing"]:
        logger.warning("documents: CJK fonts missing (install fonts-noto-cjk): %s", ", ".join(report["fonts_missing"]))
    return report
