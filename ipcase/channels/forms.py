"""The form every workflow step posts, and the base for steps that ask for structured details.

A transition that needs more than "when" and "reasons" names a subclass of :class:`StepForm` in
its ``form``; its extra fields are validated by WTForms, handed to the transition's ``apply`` as
plain data, and recorded on the timeline, where :func:`describe` renders them in the reader's
language from the same class (labels and choice labels are never stored as text).

:func:`text` and :func:`line` are the field builders the channels' step forms share."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, HiddenField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

TEXT_MAX = 4000
SHORT_MAX = 120
#: fields every step has; the rest are the step's details
BASE_FIELDS = frozenset({"csrf_token", "reason", "at", "seen"})


def strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def text(label: Any, *, required: bool = True, description: Any = "") -> TextAreaField:
    validators = [InputRequired(), Length(max=TEXT_MAX)] if required else [Optional(), Length(max=TEXT_MAX)]
    return TextAreaField(label, validators=validators, filters=[strip], description=description)


def line(label: Any, *, required: bool = True, max_length: int = SHORT_MAX, description: Any = "") -> StringField:
    validators = [InputRequired(), Length(max=max_length)] if required else [Optional(), Length(max=max_length)]
    return StringField(label, validators=validators, filters=[strip], description=description)


class StepForm(FlaskForm):
    """A workflow step: when it happened (default now) and the reasons, where the step needs them."""

    reason = TextAreaField(_l("Reasons or notes"), validators=[Length(max=TEXT_MAX)], filters=[strip])
    at = DateTimeLocalField(_l("When (China time)"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    #: what the page saw of the case (``workflow.step_version``): a step sent from a page the case
    #: has moved on from is refused, not applied to a state its sender never saw
    seen = HiddenField(filters=[strip])

    def prepare(self, case: Any) -> None:
        """Fill choices that depend on the case (its parties, its staff); called before rendering
        and before validating."""

    def details(self) -> dict[str, Any]:
        """The step's own fields as plain data (what ``apply`` receives)."""
        return {name: field.data for name, field in self._fields.items() if name not in BASE_FIELDS}

    @classmethod
    def describe(cls, values: dict[str, Any]) -> list[tuple[str, str]]:
        """(label, value) pairs of the details ``values`` recorded by this step, in the current
        language (:func:`describe`)."""
        return describe(cls, values)


def detail_names(form_cls: type[StepForm] | None) -> list[str]:
    """The names of a step form's own fields, in declaration order."""
    if form_cls is None:
        return []
    ordered = sorted(
        ((name, value) for name, value in vars_all(form_cls).items() if hasattr(value, "creation_counter")),
        key=lambda item: item[1].creation_counter,
    )
    return [name for name, _ in ordered if name not in BASE_FIELDS]


def vars_all(cls: type) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        found.update(vars(klass))
    return found


def to_json(value: Any) -> Any:
    """A detail value as it is stored in the timeline's JSON data."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return value


def describe(form_cls: type[StepForm] | None, values: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) pairs of recorded details, in the current language."""
    if form_cls is None:
        return []
    pairs = []
    attrs = vars_all(form_cls)
    for name in detail_names(form_cls):
        if name not in values or values[name] in (None, "", []):
            continue
        unbound = attrs[name]
        label = unbound.args[0] if unbound.args else unbound.kwargs.get("label", name)
        pairs.append((str(label), _show(unbound, values[name])))
    return pairs


def _show(unbound: Any, value: Any) -> str:
    choices = unbound.kwargs.get("choices")
    if choices:
        labels = {
            str(c[0]) if isinstance(c, tuple) else str(c.value): c[1] if isinstance(c, tuple) else c.label
            for c in choices
        }
        if isinstance(value, list):
            return "、".join(str(labels.get(str(v), v)) for v in value)
        return str(labels.get(str(value), value))
    if value is True:
        return str(_l("yes"))
    if value is False:
        return str(_l("no"))
    if isinstance(value, str) and "T" in value and len(value) >= 16 and value[:4].isdigit():
        return value[:16].replace("T", " ")
    return str(value)
