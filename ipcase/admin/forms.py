"""Account administration forms."""

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from ipcase.auth.models import Role
from ipcase.core.forms import opts


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
