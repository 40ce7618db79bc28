"""Form helpers shared by all features."""

from typing import Any

from wtforms import Form, SelectChoice

from ipcase.core.errors import DomainError


def _fields(form: Form) -> dict[str, Any]:
    found = {}
    for field in form:
        found[field.name] = field
        if hasattr(field, "form"):
            found.update(_fields(field.form))
    return found


def apply_domain_errors(form: Form, exc: DomainError) -> None:
    """Show an operation's refusal on the form: on the field it names, else above the form."""
    fields = _fields(form)
    for name, message in exc.reasons:
        field = fields.get(name) if name else None
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(message)


def opts(pairs: Any) -> list[SelectChoice]:
    """(value, label) pairs as WTForms select choices."""
    return [SelectChoice(value, label) for value, label in pairs]
