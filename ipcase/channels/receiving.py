"""Who may receive a case handed on by a step (a referral, a forwarding, a transfer): the
organisations a channel's step may name (:func:`receiving_organisations`), and the step form
that names one (:class:`ReceivingForm`), shared by the mediation, workstation and injunction
steps."""

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import InputRequired

from ipcase.cases.enums import Channel
from ipcase.cases.transfers import HANDLED_BY
from ipcase.channels.forms import StepForm
from ipcase.core.extensions import db
from ipcase.core.forms import opts
from ipcase.organisations.models import Organisation


def receiving_organisations(case: Any, channel: Any) -> list[Any]:
    """The active organisations in the case's region tree that handle ``channel``, the likeliest
    first: the case's own organisation (when it handles the channel, e.g. a failed administrative
    mediation adjudicated by the same office), then its parent offices, then the organisations of
    the same city, then the rest of the province (the first two digits of the region code)."""
    own = case.organisation
    ancestors: list[int] = []
    parent = own.parent
    while parent is not None and parent.id not in ancestors:
        ancestors.append(parent.id)
        parent = parent.parent
    province = (own.region_code or "")[:2]
    stmt = sa.select(Organisation).where(Organisation.is_active, Organisation.kind.in_(HANDLED_BY[channel]))
    found = [
        o
        for o in db.session.scalars(stmt)
        if (o.id in ancestors or (province and (o.region_code or "").startswith(province)))
        and not (o.id == own.id and channel == case.channel)
    ]

    def rank(o: Any) -> tuple[int, str, str]:
        if o.id == own.id:
            return (0, "", o.name)
        if o.id in ancestors:
            return (1 + ancestors.index(o.id), "", o.name)
        if o.region_code == own.region_code:
            return (100, "", o.name)
        return (200, o.region_code or "", o.name)

    return sorted(found, key=rank)


class ReceivingForm(StepForm):
    """A step that hands the case to another organisation (a referral, a forwarding, a transfer)."""

    #: the procedure at the receiving organisation
    CHANNEL: Any = Channel.adjudication

    organisation = SelectField(_l("Receiving office"), coerce=int, validators=[InputRequired()])

    def prepare(self, case: Any) -> None:
        found = receiving_organisations(case, self.CHANNEL)
        self.organisation.choices = opts([(o.id, f"{o.name} · {o.kind.label}") for o in found])
        if found and not self.is_submitted():
            self.organisation.data = found[0].id
