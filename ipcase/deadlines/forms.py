"""Forms of the deadline pages. Each hands plain data to an operation through ``to_command()``."""

import re
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from ipcase.core import clock
from ipcase.core.forms import opts
from ipcase.deadlines.calendar import Unit
from ipcase.deadlines.models import ExclusionKind, UnitLabel

#: the longest period the calculator and the rule settings accept, per unit; far beyond any
#: statutory period, and short enough that nothing overflows or loops for long
MAX_LENGTH = {Unit.working_days: 1000, Unit.days: 3660, Unit.months: 120, Unit.years: 10, Unit.hours: 8784}
#: the bound of a length whatever its unit (the unit's own is checked where the unit is known)
LONGEST = max(MAX_LENGTH.values())

#: the years a start may lie in (the calendar data covers about 2004 to next year)
FIRST_YEAR, LAST_YEAR = 2000, 2099

EXTENSION_LEVELS = {"director": _l("Director"), "superior": _l("Superior office")}

AT_LEAST_ONE = _l("Enter a whole number of at least 1.")


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def parse_start(text: str) -> date | datetime:
    """A date (YYYY-MM-DD) or a date and time in China (YYYY-MM-DD HH:MM or …THH:MM)."""
    text = (text or "").strip().replace("T", " ")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", text):
        return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=clock.LOCAL_TZ)
    raise ValueError(text)


def _check_year(value: date | None) -> None:
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(_l("Enter a year from %(first)d to %(last)d.", first=FIRST_YEAR, last=LAST_YEAR))


# -- case panel actions ---------------------------------------------------------------------


class ExtensionRequestForm(FlaskForm):
    level = SelectField(_l("Approved by"), validators=[InputRequired()])
    length = IntegerField(
        _l("Length"),
        validators=[InputRequired(AT_LEAST_ONE), NumberRange(min=1, message=AT_LEAST_ONE), NumberRange(max=LONGEST)],
    )
    reason = TextAreaField(_l("Reasons"), validators=[DataRequired(), Length(max=1000)], filters=[_strip])

    def to_command(self) -> dict[str, Any]:
        return {"level": self.level.data, "length": self.length.data, "reason": self.reason.data}


class ExtensionDecisionForm(FlaskForm):
    decision = SelectField(
        _l("Decision"),
        choices=opts([("approve", _l("Approve")), ("refuse", _l("Refuse"))]),
        validators=[InputRequired()],
    )
    note = TextAreaField(_l("Note"), validators=[Length(max=1000)], filters=[_strip])

    def validate_note(self, field: Any) -> None:
        if self.decision.data == "refuse" and not field.data:
            raise ValidationError(_l("Give the reasons for refusing."))

    def to_command(self) -> dict[str, Any]:
        return {"approve": self.decision.data == "approve", "note": self.note.data or ""}


class CancelDeadlineForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=500)], filters=[_strip])


class StartExclusionForm(FlaskForm):
    kind = SelectField(_l("Kind of excluded time"), choices=opts(ExclusionKind.choices()), validators=[InputRequired()])
    first_day = DateField(_l("First day"), validators=[InputRequired()])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=500)], filters=[_strip])

    def to_command(self) -> dict[str, Any]:
        return {"kind": ExclusionKind(self.kind.data), "first_day": self.first_day.data, "reason": self.reason.data}


class EndExclusionForm(FlaskForm):
    last_day = DateField(_l("Last day"), validators=[InputRequired()])


# -- calculator -----------------------------------------------------------------------------


class CalculatorForm(FlaskForm):
    start = StringField(
        _l("Triggering event"),
        description=_l("A date (YYYY-MM-DD), or a date and time in China (YYYY-MM-DD HH:MM) for hour periods."),
        validators=[DataRequired(), Length(max=20)],
        filters=[_strip],
    )
    unit = SelectField(_l("Unit"), choices=opts(UnitLabel.choices()), validators=[InputRequired()])
    length = IntegerField(
        _l("Length"),
        validators=[InputRequired(AT_LEAST_ONE), NumberRange(min=1, message=AT_LEAST_ONE), NumberRange(max=LONGEST)],
    )

    def validate_start(self, field: Any) -> None:
        try:
            start = parse_start(field.data)
        except ValueError as exc:
            raise ValidationError(_l("Enter a date as YYYY-MM-DD, or a date and time as YYYY-MM-DD HH:MM.")) from exc
        if not FIRST_YEAR <= start.year <= LAST_YEAR:
            raise ValidationError(_l("Enter a year from %(first)d to %(last)d.", first=FIRST_YEAR, last=LAST_YEAR))
        if self.unit.data == Unit.hours and not isinstance(start, datetime):
            raise ValidationError(_l("An hour period starts at a date and a time: add the time (HH:MM)."))

    def validate_length(self, field: Any) -> None:
        limit = MAX_LENGTH.get(self.unit.data)  # type: ignore[call-overload]
        if limit and field.data is not None and field.data > limit:
            raise ValidationError(_l("At most %(n)d for this unit.", n=limit))

    def to_command(self) -> dict[str, Any]:
        return {"unit": Unit(self.unit.data), "start": parse_start(self.start.data), "length": self.length.data}


# -- my deadlines ---------------------------------------------------------------------------


class MyDeadlinesFilterForm(FlaskForm):
    class Meta:
        csrf = False

    unit = SelectField(_l("Unit"), validators=[Optional()], filters=[_strip])
    missed = BooleanField(_l("Include missed deadlines"))
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=100000)], default=1)


# -- administration -------------------------------------------------------------------------

DAY_KINDS = [("rest", _l("Rest day (holiday)")), ("work", _l("Working day"))]


class CorrectDayForm(FlaskForm):
    day = DateField(_l("Day"), validators=[InputRequired()])
    kind = SelectField(_l("The day is"), choices=opts(DAY_KINDS), validators=[InputRequired()])
    name = StringField(
        _l("Name"),
        description=_l("E.g. 春节 or 国庆节调休上班; may be empty."),
        validators=[Length(max=60)],
        filters=[_strip],
    )
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=500)], filters=[_strip])

    def validate_day(self, field: Any) -> None:
        _check_year(field.data)

    def to_command(self) -> dict[str, Any]:
        return {"day": self.day.data, "is_workday": self.kind.data == "work", "name": self.name.data or ""}


class YearScheduleForm(FlaskForm):
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(min=FIRST_YEAR, max=LAST_YEAR)])
    lines = TextAreaField(
        _l("Official schedule"),
        description=_l(
            "One day per line: the date, rest or work, and the name, e.g. “2027-02-06 rest 春节” or "
            "“2027-02-14 work 春节调休上班”. Every holiday and every make-up working day of the year; "
            "the lines replace the year's days and confirm the year."
        ),
        validators=[DataRequired(), Length(max=20000)],
        render_kw={"rows": 14},
    )
    reason = TextAreaField(
        _l("Source"),
        description=_l("The State Council notice, e.g. 国办发明电〔2026〕7号."),
        validators=[DataRequired(), Length(max=500)],
        filters=[_strip],
    )


class ConfirmYearForm(FlaskForm):
    year = IntegerField(validators=[InputRequired(), NumberRange(min=FIRST_YEAR, max=LAST_YEAR)])


class RuleSettingForm(FlaskForm):
    organisation_id = SelectField(_l("Organisation"), coerce=int, validators=[InputRequired()])
    length = IntegerField(
        _l("Length"),
        description=_l("Leave empty to use the catalogue's length again."),
        validators=[Optional(), NumberRange(min=1, message=AT_LEAST_ONE), NumberRange(max=LONGEST)],
    )


class DutyShiftForm(FlaskForm):
    organisation_id = SelectField(_l("Organisation"), coerce=int, validators=[InputRequired()])
    user_id = SelectField(_l("On duty"), coerce=int, validators=[InputRequired()])
    starts_at = DateTimeLocalField(_l("From (China time)"), format="%Y-%m-%dT%H:%M", validators=[InputRequired()])
    ends_at = DateTimeLocalField(_l("Until (China time)"), format="%Y-%m-%dT%H:%M", validators=[InputRequired()])

    def validate_starts_at(self, field: Any) -> None:
        _check_year(field.data)

    def validate_ends_at(self, field: Any) -> None:
        _check_year(field.data)
        if field.data and self.starts_at.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("The shift must end after it starts."))

    def to_command(self) -> dict[str, Any]:
        return {"starts_at": clock.from_local(self.starts_at.data), "ends_at": clock.from_local(self.ends_at.data)}


class RecordEventForm(FlaskForm):
    """A procedural event (docketed, served, defence received …) with the moment it happened."""

    event = SelectField(_l("Event"), validators=[InputRequired()], validate_choice=False)
    at = DateTimeLocalField(_l("When (China time)"), format="%Y-%m-%dT%H:%M", validators=[InputRequired()])

    def to_command(self) -> dict[str, Any]:
        return {"event": self.event.data, "at": clock.from_local(self.at.data)}
