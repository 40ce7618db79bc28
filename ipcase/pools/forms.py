"""Forms of the pools. Values are checked by the operations (IPC classes, dates); the forms
bound lengths and types and hand plain data over through ``to_command()``."""

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ipcase.cases.forms import AssignmentForm
from ipcase.core.forms import MultipleChoiceField, opts
from ipcase.pools.models import Pool
from ipcase.pools.rules import Relation

BLANK = [("", "—")]


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class CheckboxesField(MultipleChoiceField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ProfileForm(FlaskForm):
    """The whole profile (administrators and directors); a person editing their own profile
    gets it without ``pools`` and ``ipc_classes``, which only those may change."""

    pools = CheckboxesField(_l("Pools"), choices=opts(Pool.choices()), validators=[Optional()])
    ipc_classes = TextAreaField(
        _l("Fields of expertise (IPC)"),
        description=_l("IPC subclasses or groups, one per line or separated by commas: H04L, A61K 31/00."),
        validators=[Length(max=1000)],
        filters=[_strip],
    )
    employer = StringField(_l("Employer"), validators=[Length(max=120)], filters=[_strip])
    title = StringField(_l("Professional title"), validators=[Length(max=60)], filters=[_strip])
    declared_interests = TextAreaField(
        _l("Declared interests"),
        description=_l(
            "Anything that may matter for recusal, in your own words: companies, people, patents. "
            "Relations with a named counterpart are best declared one by one on the profile page."
        ),
        validators=[Length(max=4000)],
        filters=[_strip],
    )
    is_available = BooleanField(_l("Available for assignments"), default=True)

    def fill(self, profile: Any) -> "ProfileForm":
        """Show the stored profile (GET)."""
        if profile is not None:
            if "pools" in self:
                self.pools.data = [p.value for p in profile.pools]
            if "ipc_classes" in self:
                self.ipc_classes.data = "\n".join(profile.ipc_classes)
            self.employer.data = profile.employer
            self.title.data = profile.title
            self.declared_interests.data = profile.declared_interests
            self.is_available.data = profile.is_available
        return self

    def to_command(self) -> dict[str, Any]:
        return {f.name: f.data for f in self if f.name != "csrf_token"}


class DeclarationForm(FlaskForm):
    kind = SelectField(_l("Relation"), choices=opts(Relation.choices()), validators=[InputRequired()])
    counterpart = StringField(
        _l("With"),
        description=_l("A person's or company's name, an identity document or credit code, or a patent number."),
        validators=[DataRequired(), Length(max=200)],
        filters=[_strip],
    )
    since_on = DateField(_l("Since"), validators=[Optional()])
    until_on = DateField(_l("Until"), description=_l("Leave empty while it lasts."), validators=[Optional()])
    note = StringField(_l("Note"), validators=[Length(max=300)], filters=[_strip])

    def to_command(self) -> dict[str, Any]:
        return {f.name: f.data for f in self if f.name != "csrf_token"}


class UnavailabilityForm(FlaskForm):
    from_on = DateField(_l("From"), validators=[InputRequired()])
    to_on = DateField(_l("To (included)"), validators=[InputRequired()])
    reason = StringField(_l("Reason"), validators=[Length(max=200)], filters=[_strip])

    def to_command(self) -> dict[str, Any]:
        return {f.name: f.data for f in self if f.name != "csrf_token"}


class RemoveForm(FlaskForm):
    """Removes one declaration or period of the profile in the URL (its id in the body)."""

    item_id = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=2**31 - 1)])


class PoolFilterForm(FlaskForm):
    """The list's filters, read from the query string (GET: nothing changes, no CSRF)."""

    class Meta:
        csrf = False

    pool = SelectField(_l("Pool"), choices=opts(BLANK + Pool.choices()), validators=[Optional()], filters=[_strip])
    ipc = StringField(_l("IPC class begins with"), validators=[Optional(), Length(max=20)], filters=[_strip])
    available_on = DateField(_l("Available on"), validators=[Optional()])
    q = StringField(_l("Name, employer or title"), validators=[Optional(), Length(max=100)], filters=[_strip])


class AcknowledgedAssignmentForm(AssignmentForm):
    """The staff panel's assignment, with the confirmation recusal warnings ask for."""

    acknowledge_warnings = BooleanField(_l("I have read the warnings and assign anyway"))
