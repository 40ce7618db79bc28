"""The form fuzzer's machinery: which fields a route reads, a plausible valid form for it, the
hostile values, and a snapshot of the database to show that a refused form changed nothing.

A route's fields are found by running it once: every WTForms form it builds is recorded (names,
types, choices), and so is every key the view looks up in ``request.form`` by hand. Values of
the route's own page (``GET``, where it has one) fill the valid form, so a bad value in one field
reaches the code behind the other fields' validation."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any

import sqlalchemy as sa
import wtforms
from werkzeug.datastructures import ImmutableMultiDict

from ipcase.core import clock
from ipcase.core.extensions import db

#: value kind → the value put in every field (``empty`` posts no field at all)
KINDS: dict[str, str | None] = {
    "empty": None,
    "blank": "",
    "whitespace": "  \t ",
    "ideographic": "\u3000\u3000",
    "huge": str(10**30),
    "negative": "-7",
    "unknown": "no-such-choice",
    "non_digit": "12a",
    # starts with "/" so that a redirect target passes a naive same-site check
    "newline": "/cases/\r\nX-Injected: 1\n",
    "long": "/" + "长" * 10_000,
}

#: the kinds every field gets at once (negative numbers and non-digits go to number fields one at a
#: time, below: with every field at once they only repeat what "huge" and "unknown" find)
EVERY_FIELD_KINDS = tuple(k for k in KINDS if k not in ("negative", "non_digit"))

#: which bad values a field of each type gets when the rest of the form is valid, most telling first
#: (a route with many fields gives each only the first ones)
KINDS_BY_TYPE: dict[str, tuple[str, ...]] = {
    "choice": ("whitespace", "unknown", "ideographic", "blank", "huge", "negative"),
    "number": ("huge", "whitespace", "negative", "non_digit", "ideographic"),
    "date": ("whitespace", "huge", "unknown"),
    "text": ("newline", "ideographic", "long", "whitespace"),
}

NUMBER_FIELDS = ("IntegerField", "DecimalField", "FloatField", "IntegerRangeField", "DecimalRangeField")
DATE_FIELDS = ("DateField", "DateTimeField", "DateTimeLocalField", "TimeField", "MonthField", "WeekField")
SKIPPED_FIELDS = ("FileField", "MultipleFileField", "SubmitField", "CSRFTokenField", "BooleanField")


@dataclass
class Field:
    name: str
    kind: str  # choice, number, date, text, or skip
    choices: list[str] = field(default_factory=list)


def _classify(bound: Any) -> str:
    names = {cls.__name__ for cls in type(bound).__mro__}
    if names & set(SKIPPED_FIELDS):
        return "skip"
    if names & {"SelectFieldBase", "RadioField"}:
        return "choice"
    if names & set(NUMBER_FIELDS):
        return "number"
    if names & set(DATE_FIELDS):
        return "date"
    return "text"


def _choice_values(bound: Any) -> list[str]:
    choices = getattr(bound, "choices", None) or []
    if isinstance(choices, dict):
        choices = [c for group in choices.values() for c in group]
    values = []
    for choice in choices:
        value = choice[0] if isinstance(choice, tuple | list) else choice
        values.append("" if value is None else str(value))
    return values


def _fields_of(form: Any) -> Iterator[Field]:
    for bound in form:
        if isinstance(bound, wtforms.FormField):
            yield from _fields_of(bound.form)
        elif isinstance(bound, wtforms.FieldList):
            for entry in bound.entries:
                if isinstance(entry, wtforms.FormField):
                    yield from _fields_of(entry.form)
                else:
                    yield Field(entry.name, _classify(entry), _choice_values(entry))
        else:
            yield Field(bound.name, _classify(bound), _choice_values(bound))


class _RecordingDict(ImmutableMultiDict):
    """``request.form`` that remembers which keys the view asked for."""

    seen: set[str] = set()

    def __getitem__(self, key: Any) -> Any:
        self.seen.add(key)
        return super().__getitem__(key)

    def get(self, key: Any, default: Any = None, type: Any = None) -> Any:
        self.seen.add(key)
        return super().get(key, default, type)

    def getlist(self, key: Any, type: Any = None) -> Any:
        self.seen.add(key)
        return super().getlist(key, type)

    def __contains__(self, key: Any) -> bool:
        self.seen.add(key)
        return super().__contains__(key)


@contextmanager
def recording(app: Any) -> Iterator[tuple[list[Any], set[str]]]:
    """Record the forms built and the form keys read while the block runs."""
    forms: list[Any] = []
    keys: set[str] = set()
    original = wtforms.Form.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        forms.append(self)

    request_class = app.request_class
    saved = request_class.__dict__.get("parameter_storage_class")
    _RecordingDict.seen = keys
    wtforms.Form.__init__ = init
    request_class.parameter_storage_class = _RecordingDict
    try:
        yield forms, keys
    finally:
        wtforms.Form.__init__ = original
        if saved is None:
            del request_class.parameter_storage_class
        else:
            request_class.parameter_storage_class = saved


#: the probe's own marker field: a non-empty body makes Flask-WTF hand the form data to the form
PROBE = "__fuzz_probe__"


def discover(client: Any, app: Any, url: str, base: dict[str, str], *, language_route: bool) -> dict[str, Field]:
    """The fields the route at ``url`` reads, by name (one probing POST, with ``base``)."""
    with recording(app) as (forms, keys):
        try:
            client.post(url, data={PROBE: "1", **base}).close()
        except Exception:  # noqa: S110 (the walk itself reports it, with the value that caused it)
            pass
    found: dict[str, Field] = {}
    for form in forms:
        if type(form).__name__ == "LanguageForm" and not language_route:
            continue  # the layout's language switch, on every page
        for f in _fields_of(form):
            found.setdefault(f.name, f)
    ignored = {PROBE, "csrf_token"} | (set() if language_route else {"lang", "next"})
    for key in keys - found.keys() - ignored:
        found[key] = Field(key, "text")
    return {name: f for name, f in found.items() if f.kind != "skip" and name != "csrf_token"}


class _PageValues(HTMLParser):
    """Current values of a page's POST form controls: what a user submitting it unchanged sends."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._in_post = False
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._in_post = a.get("method", "").lower() == "post"
        if not self._in_post or ("name" not in a and tag != "option"):
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.values.setdefault(a["name"], a.get("value", "y"))
            elif kind not in ("submit", "file", "button"):
                self.values.setdefault(a["name"], a.get("value", ""))
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select:
            if "selected" in a or self._select not in self.values:
                if a.get("value"):
                    self.values[self._select] = a["value"]
        elif tag == "textarea":
            self._textarea = a["name"]
            self.values.setdefault(a["name"], "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_post = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data


def page_values(html: str) -> dict[str, str]:
    parser = _PageValues()
    parser.feed(html)
    return parser.values


def plausible(f: Field) -> str:
    """A value the field would likely accept."""
    local = clock.to_local(clock.now())
    if f.kind == "choice":
        return next((c for c in f.choices if c), "")
    if f.kind == "number":
        return "1"
    if f.kind == "date":
        soon = local + timedelta(days=7)
        lowered = f.name.lower()
        return soon.strftime("%Y-%m-%dT10:00") if "at" in lowered.split("_") else soon.strftime("%Y-%m-%d")
    if "email" in f.name:
        return "fuzz@example.com"
    return "模糊测试"


def valid_form(fields: dict[str, Field], page: dict[str, str]) -> dict[str, str]:
    return {name: page.get(name) or plausible(f) for name, f in fields.items()}


#: tables whose rows a refused request may legitimately change: failed-login and access-code
#: throttles count refused tries by design
VOLATILE_TABLES = {"login_throttles"}
#: large reference tables compared by row count only
COUNTED_TABLES = {"calendar_days"}


@contextmanager
def rolled_back() -> Iterator[None]:
    """Whatever the block commits is undone after it (a savepoint on the test's connection)."""
    db.session.rollback()
    savepoint = db.session.get_bind().begin_nested()
    try:
        yield
    finally:
        db.session.rollback()
        savepoint.rollback()
        db.session.expire_all()


@contextmanager
def watching_writes() -> Iterator[list[str]]:
    """The INSERT, UPDATE and DELETE statements run while the block runs."""
    writes: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
            writes.append(statement)

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", seen)
    try:
        yield writes
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", seen)


def snapshot() -> dict[str, Any]:
    """Every table's rows (large reference tables: their count)."""
    db.session.expire_all()
    state: dict[str, Any] = {}
    for table in db.metadata.sorted_tables:
        if table.name in VOLATILE_TABLES:
            continue
        if table.name in COUNTED_TABLES:
            state[table.name] = db.session.scalar(sa.select(sa.func.count()).select_from(table))
            continue
        order = list(table.primary_key.columns) or list(table.columns)
        state[table.name] = [tuple(row) for row in db.session.execute(sa.select(table).order_by(*order))]
    return state


def changed_tables(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return sorted(name for name in after if before.get(name) != after[name])
