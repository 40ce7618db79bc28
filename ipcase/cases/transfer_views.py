"""The referral panel of the case page: where the case came from and went to, and the head of
the office's transfer (移送) of an open case to another organisation.

Routes live on the cases blueprint (imported at the end of ``cases/views.py``); the panel's data
comes from the ``referral_panel(case)`` template function registered here."""

from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from ipcase.auth.models import Role
from ipcase.cases.enums import Channel
from ipcase.cases.models import Case
from ipcase.cases.permissions import can_edit, can_view
from ipcase.cases.transfers import HANDLED_BY, referral_steps, referred_to, transfer_case
from ipcase.cases.views import bp, get_case_or_404
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.core.forms import opts
from ipcase.organisations.models import Organisation


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class TransferForm(FlaskForm):
    organisation_id = SelectField(_l("Transfer to"), coerce=int, validators=[InputRequired()])
    channel = SelectField(_l("Procedure there"), choices=opts(Channel.choices()), validators=[InputRequired()])
    reason = TextAreaField(
        _l("Reasons for the transfer"), validators=[DataRequired(), Length(max=4000)], filters=[_strip]
    )

    def prepare(self, case: Case) -> "TransferForm":
        self.organisation_id.choices = opts([(o.id, f"{o.name} · {o.region_name}") for o in transfer_targets(case)])
        if not self.channel.data:
            self.channel.data = case.channel.value
        return self


def transfer_targets(case: Case) -> list[Organisation]:
    """Active organisations other than the case's own that handle at least one procedure."""
    kinds = set().union(*HANDLED_BY.values())
    stmt = (
        sa.select(Organisation)
        .where(Organisation.is_active, Organisation.id != case.organisation_id, Organisation.kind.in_(kinds))
        .order_by(Organisation.region_code, Organisation.name)
    )
    return list(db.session.scalars(stmt))


def may_transfer(case: Case) -> bool:
    return current_user.role == Role.director and can_edit(current_user, case)


def referral_panel(case: Case) -> dict[str, Any]:
    """What ``cases/_referral.html`` shows: the linked cases (a link only where the viewer may
    open them) and, for the head of the office, the transfer form."""
    source = db.session.get(Case, case.referred_from_id) if case.referred_from_id else None
    linked = [(c, can_view(current_user, c)) for c in referred_to(case)]
    form = TransferForm(prefix="transfer", formdata=None).prepare(case) if may_transfer(case) else None
    return {
        "source": source,
        "source_visible": source is not None and can_view(current_user, source),
        "linked": linked,
        "form": form,
        "steps": referral_steps(case.channel),
        "show": current_user.role != Role.party and (source is not None or linked or form is not None),
    }


@bp.app_context_processor
def _inject_referral_panel() -> dict[str, Any]:
    return {"referral_panel": referral_panel}


@bp.post("/<id:case_id>/transfer")
def transfer(case_id: int) -> Any:
    case = get_case_or_404(case_id)
    if not may_transfer(case):
        abort(403)
    form = TransferForm(prefix="transfer").prepare(case)
    back = redirect(url_for(".show_case", case_id=case.id) + "#referral")
    if not form.validate_on_submit():
        for name, errors in form.errors.items():
            label = form[name].label.text if name in form else ""
            for message in errors:
                flash(f"{label}: {message}" if label else message, "danger")
        return back
    target = db.session.get(Organisation, form.organisation_id.data)
    try:
        new = transfer_case(
            case, organisation=target, channel=Channel(form.channel.data), actor=current_user, reason=form.reason.data
        )
    except DomainError as exc:
        db.session.rollback()
        for message in exc.messages:
            flash(message, "danger")
        return back
    db.session.commit()
    flash(_("Transferred: case %(number)s opened at %(name)s.", number=new.number, name=target.name), "success")
    return back
