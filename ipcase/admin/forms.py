"""Account administration forms."""

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from ipcase.auth.models import Role
from ipcase.core.forms import opts
from ipcase.organisations.models import HostType, OrgKind


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class UserForm(FlaskForm):
    username = StringField(
        _l("User name"),
        validators=[
            DataRequired(),
            Length(min=3, max=64),
            Regexp(r"^[A-Za-z0-9._-]+$", message=_l("Use letters, digits, dots, dashes and underscores.")),
        ],
        filters=[_strip],
    )
    display_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=80)], filters=[_strip])
    email = StringField(_l("E-mail"), validators=[Optional(), Email(), Length(max=254)], filters=[_strip])
    phone = StringField(_l("Phone"), validators=[Length(max=40)], filters=[_strip])
    role = SelectField(_l("Role"), choices=opts(Role.choices()), validators=[DataRequired()])
    organisation_id = SelectField(_l("Organisation"), coerce=lambda v: int(v) if v not in ("", None) else None)
    is_active = BooleanField(_l("Active"), default=True)
    password = PasswordField(
        _l("Password"),
        description=_l("At least 10 characters, with letters and digits or symbols."),
        validators=[Optional(), Length(max=256)],
    )


class OrganisationForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(),
            Length(max=32),
            Regexp(r"^[a-z0-9-]+$", message=_l("Use lower-case letters, digits and dashes.")),
        ],
        filters=[_strip],
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)], filters=[_strip])
    name_en = StringField(_l("English name"), validators=[Length(max=160)], filters=[_strip])
    abbr = StringField(
        _l("Number prefix"),
        description=_l("The office's abbreviation at the start of case numbers, e.g. 成知."),
        validators=[DataRequired(), Length(max=16)],
        filters=[_strip],
    )
    kind = SelectField(_l("Type"), choices=opts(OrgKind.choices()), validators=[DataRequired()])
    host_type = SelectField(
        _l("Host"), choices=opts([("", "—"), *HostType.choices()]), validators=[Optional()], filters=[_strip]
    )
    region_code = StringField(
        _l("Region code"),
        validators=[DataRequired(), Regexp(r"^\d{6}$", message=_l("Six digits, e.g. 510100."))],
        filters=[_strip],
    )
    region_name = StringField(_l("Region"), validators=[DataRequired(), Length(max=60)], filters=[_strip])
    parent_id = SelectField(_l("Reports to"), coerce=lambda v: int(v) if v not in ("", None) else None)
    address = StringField(_l("Address"), validators=[Length(max=200)], filters=[_strip])
    postcode = StringField(_l("Postcode"), validators=[Length(max=10)], filters=[_strip])
    phone = StringField(_l("Phone"), validators=[Length(max=40)], filters=[_strip])
    exhibition_starts_on = DateField(_l("Exhibition opens"), validators=[Optional()])
    exhibition_ends_on = DateField(_l("Exhibition closes"), validators=[Optional()])
    is_active = BooleanField(_l("Active"), default=True)

    def to_command(self) -> dict[str, Any]:
        data = {f.name: f.data for f in self if f.name != "csrf_token"}
        data["host_type"] = data["host_type"] or None
        return data
