"""Checks on the translation catalog. Chinese (zh_CN) is the default locale, and every UI string
needs a Chinese translation. The English msgids are the fallback.

The sources are English msgids: ``_()``, ``_l()`` (lazy_gettext) and ``ngettext`` in Python
under ``ipcase/``, and ``{{ _('…') }}`` and ``ngettext`` in the Jinja templates under ``templates/``.
Extraction is configured in ``ipcase/babel.cfg``. The template is
``ipcase/translations/messages.pot`` and the Chinese catalog is
``ipcase/translations/zh_Hans_CN/LC_MESSAGES/messages.po``. The compiled ``.mo`` is not
committed: ``.ci/setup.sh`` compiles it.

Why ``zh_Hans_CN``: the app selects the locale "zh_CN", and Flask-Babel parses it with
``babel.Locale.parse``, which expands it to ``zh_Hans_CN``. It then looks for
``zh_Hans_CN/LC_MESSAGES`` (or plain ``zh``). A directory named ``zh_CN`` is never found, and the
site silently falls back to English.

After adding or changing UI strings, update the catalog from the repository root::

    pybabel extract -F ipcase/babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 \\
        --add-comments=TRANSLATORS: --add-location=file --ignore-dirs ".* __pycache__" \\
        --project=ipcase -o ipcase/translations/messages.pot .
    pybabel update -i ipcase/translations/messages.pot -d ipcase/translations -l zh_Hans_CN \\
        --no-fuzzy-matching
    # translate every entry that has an empty msgstr in .../zh_Hans_CN/LC_MESSAGES/messages.po
    pybabel compile -d ipcase/translations
    python -m ipcase.i18n          # lists what is still wrong; tests/test_i18n.py runs the same check

Notes:

* Keep ``--ignore-dirs``. Babel's default also skips directories whose names start with ``_``,
  so without it ``templates/_macros/`` would be missed.
* Keep every placeholder (``%(name)s``, ``%(num)d``) exactly. Templates use Jinja's "newstyle"
  gettext, which %-formats every translated string. A stray ``%`` in a template translation
  therefore breaks the page. Write ``％`` in prose.
* ``ngettext`` entries have a single form in Chinese (``nplurals=1``): fill ``msgstr[0]``.
* Do not leave ``#, fuzzy`` entries. Flask-Babel ignores them, and ``pybabel compile`` skips a
  catalog whose header is fuzzy.
* ``pybabel update --ignore-obsolete`` drops the ``#~`` entries of strings that no longer exist.

:func:`catalog_problems` extracts the current sources exactly as the command above does (same
``babel.cfg``, keywords and ignored directories) into an in-memory .pot. It then compares that
with the .po and lists every problem in readable form.
"""

import fnmatch
import io
import re
import sys
from collections import Counter
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
#: the catalog directory: Flask-Babel looks translations up under str(Locale.parse("zh_CN")),
#: which Babel expands to "zh_Hans_CN" (a directory named zh_CN is never found)
LOCALE = "zh_Hans_CN"
CONFIG = Path("ipcase/babel.cfg")
TRANSLATIONS = Path("ipcase/translations")
#: the ``-k`` options of ``pybabel extract`` (Babel's default keywords are added to these)
KEYWORDS = ("_l", "lazy_gettext", "lazy_ngettext:1,2")
COMMENT_TAGS = ("TRANSLATORS:",)
#: the ``--ignore-dirs`` of ``pybabel extract``, matched against directory names
IGNORE_DIRS = (".*", "__pycache__")

#: a %-format conversion specifier, or a lone "%" that is not one (group "conv" is then None)
_FORMAT = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +\-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<conv>[diouxXeEfFgGcrsa%])|%"
)


def po_path(root: Path, locale: str = LOCALE) -> Path:
    return root / TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def extract_messages(root: Path) -> Catalog:
    """The messages in the current sources, as ``pybabel extract`` would write them to the .pot."""
    config = root / CONFIG
    with config.open(encoding="utf-8") as fileobj:
        method_map, options_map = parse_mapping_cfg(fileobj, filename=str(config))
    keywords = {**DEFAULT_KEYWORDS, **parse_keywords(KEYWORDS)}
    template = Catalog(project="ipcase", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        root,
        method_map,
        options_map,
        keywords=keywords,
        comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
        directory_filter=_keep_directory,
    ):
        template.add(message, None, [(Path(filename).as_posix(), lineno)], auto_comments=comments, context=context)
    # Round-trip through the .pot format so msgids compare exactly as they are stored in a .po.
    buffer = io.BytesIO()
    write_po(buffer, template, omit_header=True)
    buffer.seek(0)
    return read_po(buffer)


def catalog_problems(root: Path = ROOT, *, locale: str = LOCALE, po_file: Path | None = None) -> list[str]:
    """Everything that keeps the catalog from translating the current sources completely:
    msgids missing from the .po, empty or fuzzy translations, and placeholder mismatches.
    ``po_file`` checks another .po against the sources of ``root`` (the tests use this)."""
    po_file = po_file or po_path(root, locale)
    shown = _shown(po_file, root)
    if not po_file.is_file():
        return [f"{shown}: the catalog does not exist; see the docstring of ipcase/i18n.py"]
    with po_file.open("rb") as fileobj:
        catalog = read_po(fileobj, locale=locale)

    problems = []
    if catalog.fuzzy:
        problems.append(f"{shown}: the header is marked fuzzy, so `pybabel compile` skips the whole catalog")

    for source in extract_messages(root):
        if not source.id:
            continue
        where = ", ".join(f"{file}:{line}" for file, line in source.locations[:3]) or "?"
        entry = catalog.get(source.id, source.context)
        if entry is None:
            problems.append(f"{where}: not in {shown}: {_label(source)}")
        elif source.pluralizable != entry.pluralizable:
            kind = "with" if source.pluralizable else "without"
            problems.append(f"{where}: the source uses it {kind} a plural form, the catalog does not: {_label(source)}")
        elif source.pluralizable and source.id[1] != entry.id[1]:
            problems.append(f"{where}: the plural msgid changed to {source.id[1]!r}: {_label(source)}")

    for entry in catalog:
        if not entry.id:
            continue
        where = f"{shown}:{entry.lineno}" if entry.lineno else shown
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if entry.fuzzy:
            problems.append(f"{where}: fuzzy translation (check it and remove the flag): {_label(entry)}")
        if not all(strings):
            problems.append(f"{where}: no translation: {_label(entry)}")
        problems.extend(f"{where}: {problem}" for problem in _placeholder_problems(entry, strings))
    return problems


def placeholders(text: str) -> tuple[frozenset[str], Counter[str]]:
    """The %-format tokens of ``text``: named ones as a set (``%(name)s``; they may repeat in any
    order) and the others with their counts (``%s``, ``%%``, and ``%`` for an invalid one)."""
    named: set[str] = set()
    other: Counter[str] = Counter()
    for match in _FORMAT.finditer(text):
        if match.group("conv") is None:
            other["%"] += 1
        elif match.group("name") is not None:
            named.add(match.group(0))
        else:
            other[match.group(0)] += 1
    return frozenset(named), other


def _placeholder_problems(entry: Message, strings: tuple[str, ...]) -> list[str]:
    ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
    expected = [placeholders(msgid) for msgid in ids]
    problems = []
    for index, string in enumerate(strings):
        if not string:
            continue
        found = placeholders(string)
        if found in expected:  # for a plural entry, either English form's tokens will do
            continue
        form = f"msgstr[{index}]" if len(ids) > 1 else "msgstr"
        problems.append(
            f"placeholders differ in {form} of {_label(entry)}: "
            f"the msgid has {_describe(expected[-1])}, the translation has {_describe(found)}"
        )
    return problems


def _describe(tokens: tuple[frozenset[str], Counter[str]]) -> str:
    named, other = tokens
    listed = sorted(named) + sorted(other.elements())
    return " ".join(listed) if listed else "none"


def _label(message: Message) -> str:
    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
    context = f" (context {message.context!r})" if message.context else ""
    return f"{msgid!r}{context}"


def _keep_directory(dirpath: str) -> bool:
    name = Path(dirpath).name
    return not any(fnmatch.fnmatch(name, pattern) for pattern in IGNORE_DIRS)


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


if __name__ == "__main__":
    found = catalog_problems()
    for line in found:
        print(line)
    print(f"{len(found)} problem(s) in the {LOCALE} catalog." if found else f"The {LOCALE} catalog is complete.")
    sys.exit(1 if found else 0)
