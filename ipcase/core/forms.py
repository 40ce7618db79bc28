"""Form helpers shared by all features."""

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Form, SelectChoice, SelectMultipleField

from ipcase.core.errors import DomainError

#: the largest amount of money a form accepts, in yuan: the columns hold 12 digits before the point
MAX_YUAN = 10**11
#: the most votes a panel member count may reach (a collegial panel has three or five members)
MAX_VOTES = 99

#: a multiple choice's refusal: never the value sent back (it may be anything, of any length)
NOT_AMONG_CHOICES = _l("Choose only among the options offered.")


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


class MultipleChoiceField(SelectMultipleField):
    """Several choices among those offered. Unlike WTForms' own, the check of the values comes
    after the validators, so ``Optional()`` (which clears the errors found before it) cannot let a
    blank or unknown value through to the code that turns it into an enum; the refusal is the
    site's own, translated, and does not repeat what was sent."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            self.data = [self.coerce(value) for value in valuelist]
        except (TypeError, ValueError) as exc:
            self.data = []
            raise ValueError(str(NOT_AMONG_CHOICES)) from exc

    def pre_validate(self, form: Form) -> None:
        """The values are checked in ``post_validate``."""

    def post_validate(self, form: Form, validation_stopped: bool) -> None:
        if not self.validate_choice or not self.data or self.process_errors:
            return
        offered = {self.coerce(choice[0]) for choice in self.iter_choices()}
        if any(value not in offered for value in self.data):
            self.errors.append(str(NOT_AMONG_CHOICES))
