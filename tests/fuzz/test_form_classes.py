"""Every form class of the app, fed the fuzzer's hostile values directly: building and
validating it never raises, and a field that accepts a value hands on only what the code behind
it can take — a choice among those offered (or nothing), a number that fits the database.

The route walk (``tests/test_fuzz_forms.py``) posts to each route once per kind of value; this
reaches the forms a route shows only in some states (the steps of every procedure, every
document), which no single case can offer all at once."""

import importlib
import pkgutil
from decimal import Decimal
from typing import Any

import pytest
import wtforms
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

import ipcase
from tests.fuzz import walker

#: the largest value a number field may hand on: PostgreSQL's integer
INT_MAX = 2**31 - 1


def form_classes() -> list[type]:
    for module in pkgutil.walk_packages(ipcase.__path__, "ipcase."):
        if not module.name.startswith("ipcase.demo"):
            importlib.import_module(module.name)
    found, stack = set(), [FlaskForm]
    while stack:
        for sub in stack.pop().__subclasses__():
            if sub not in found:
                found.add(sub)
                stack.append(sub)
    return sorted((c for c in found if c.__module__.startswith("ipcase.")), key=lambda c: (c.__module__, c.__name__))


FORM_CLASSES = form_classes()


def _bound_fields(form: Any) -> list[Any]:
    fields = []
    for field in form:
        if isinstance(field, wtforms.FormField):
            fields += _bound_fields(field.form)
        elif isinstance(field, wtforms.FieldList):
            for entry in field.entries:
                fields += _bound_fields(entry.form) if isinstance(entry, wtforms.FormField) else [entry]
        else:
            fields.append(field)
    return fields


def _offered(field: Any) -> set[Any]:
    return {field.coerce(choice[0]) for choice in field.iter_choices()}


def _what_got_through(field: Any) -> str | None:
    """Why a field without errors hands on a value the code behind it cannot take, if it does."""
    data = field.data
    if isinstance(field, wtforms.SelectMultipleField):
        if field.validate_choice and data and any(value not in _offered(field) for value in data):
            return f"choices {data!r} not offered"
    elif isinstance(field, wtforms.SelectField | wtforms.RadioField):
        if field.validate_choice and data not in (None, "") and data not in _offered(field):
            return f"choice {data!r} not offered"
    elif isinstance(field, wtforms.IntegerField | wtforms.DecimalField | wtforms.FloatField):
        if isinstance(data, int | float | Decimal) and abs(data) > INT_MAX:
            return f"number {data} out of range"
    return None


def _build(cls: type, formdata: MultiDict | None) -> Any:
    form = cls(formdata=formdata)
    for field in _bound_fields(form):
        if getattr(field, "choices", False) is None:
            field.choices = []  # choices the view fills in: none here, so every value is unknown
    return form


@pytest.mark.parametrize("cls", FORM_CLASSES, ids=lambda c: f"{c.__module__.removeprefix('ipcase.')}.{c.__name__}")
def test_form_class_takes_any_input(app, cls):
    problems = []
    with app.test_request_context(method="POST"):
        try:
            names = [f.name for f in _bound_fields(_build(cls, None)) if walker._classify(f) != "skip"]
        except TypeError:
            pytest.skip("built by its view with arguments: walked through its route")
        for kind, value in walker.KINDS.items():
            formdata = MultiDict(dict.fromkeys(names, value) if value is not None else {"x": ""})
            try:
                form = _build(cls, formdata)
                form.validate()
            except Exception as exc:
                problems.append(f"{kind}: {type(exc).__name__}: {str(exc)[:160]}")
                continue
            for field in _bound_fields(form):
                if not field.errors and (why := _what_got_through(field)):
                    problems.append(f"{kind}: {field.name}: {why}")
    assert not problems, "\n".join(problems)
