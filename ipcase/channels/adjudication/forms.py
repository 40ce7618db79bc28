"""The structured details of the adjudication steps: what the examiner records at each one.

Each form is a :class:`~ipcase.channels.forms.StepForm`; ``prepare`` fills the choices that depend
on the case (its parties, its staff, the other offices). The rules that need the case (the
defence period, the panel's size, the working-day calendar) are applied by the step's ``apply``
in the ``steps_*`` modules, so a step taken outside the web form is checked the same way."""

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ipcase.auth.models import CASE_HANDLERS, Role, User
from ipcase.cases.enums import AssignmentRole, Channel, PartyRole
from ipcase.cases.transfers import HANDLED_BY
from ipcase.channels.adjudication.helpers import parties_joined
from ipcase.channels.adjudication.states import (
    MIN_EVIDENCE_DAYS,
    CessationMeasure,
    ClosedHearingReason,
    DecisionOutcome,
    RecusalGround,
    RefusalGround,
    RevocationEffect,
    SuspensionGround,
    SuspensionRefusalGround,
)
from ipcase.channels.forms import TEXT_MAX, StepForm, strip
from ipcase.channels.workflow import open_party_periods
from ipcase.core.extensions import db
from ipcase.core.forms import MAX_VOTES, MAX_YUAN, MultipleChoiceField, opts
from ipcase.deadlines.operations import title_of
from ipcase.organisations.models import Organisation

SHORT_MAX = 200


def optional_int(value: Any) -> int | None:
    """Select coercion for an optional choice: the empty option is None."""
    if value in (None, "", "None"):
        return None
    return int(value)


def _text(label: Any, *, required: bool = True, description: Any = "") -> TextAreaField:
    validators = [InputRequired(), Length(max=TEXT_MAX)] if required else [Optional(), Length(max=TEXT_MAX)]
    return TextAreaField(label, validators=validators, filters=[strip], description=description)


def _line(label: Any, *, required: bool = True) -> StringField:
    validators = [InputRequired(), Length(max=SHORT_MAX)] if required else [Optional(), Length(max=SHORT_MAX)]
    return StringField(label, validators=validators, filters=[strip])


def _parties(case: Any, *roles: PartyRole) -> list[tuple[int, str]]:
    return [(p.id, f"{p.name} · {p.role.label}") for p in case.parties if not roles or p.role in roles]


def other_offices(case: Any) -> list[tuple[int, str]]:
    """Active organisations that decide patent disputes, other than the case's own."""
    stmt = (
        sa.select(Organisation)
        .where(
            Organisation.is_active,
            Organisation.kind.in_(HANDLED_BY[Channel.adjudication]),
            Organisation.id != case.organisation_id,
        )
        .order_by(Organisation.name)
    )
    return [(o.id, o.name) for o in db.session.scalars(stmt)]


def case_staff(case: Any) -> list[tuple[int, str]]:
    """Everyone assigned to the case, once each, with their roles on it."""
    roles: dict[int, list[str]] = {}
    names: dict[int, str] = {}
    for a in case.assignments:
        names[a.user_id] = a.user.display_name
        roles.setdefault(a.user_id, []).append(str(a.role.label))
    return [(uid, f"{names[uid]} · {'、'.join(roles[uid])}") for uid in names]


# -- intake: deficiency, refusal ([85]16, [85]12, [85]20) ----------------------------------------


class DeficiencyStepForm(StepForm):
    """The deficiency notice lists every defect at once and gives a date to correct them ([85]16)."""

    cure_by = DateField(
        _l("Correct by"),
        validators=[InputRequired()],
        description=_l("The last day the requester may correct the request ([85]16)."),
    )


class RefusalStepForm(StepForm):
    """Refusal to docket, on its ground ([85]12, [85]16, [85]20)."""

    ground = SelectField(
        _l("Ground of the refusal"), choices=opts(RefusalGround.choices()), validators=[InputRequired()]
    )


# -- suspension ([85]28, [85]29) ------------------------------------------------------------------


class SuspensionStepForm(StepForm):
    ground = SelectField(
        _l("Ground of the suspension ([85]28)"), choices=opts(SuspensionGround.choices()), validators=[InputRequired()]
    )


class SuspensionRefusalForm(StepForm):
    party = SelectField(_l("Requested by"), coerce=int, validators=[InputRequired()])
    requested_on = DateField(_l("Request received on"), validators=[InputRequired()])
    ground = SelectField(
        _l("Ground of the refusal ([85]29)"),
        choices=opts(SuspensionRefusalGround.choices()),
        validators=[InputRequired()],
    )

    def prepare(self, case: Any) -> None:
        self.party.choices = opts(_parties(case))


# -- a party waives the rest of its period -------------------------------------------------------


class WaiverForm(StepForm):
    """A party waives the rest of a period that runs for it (recorded with its date)."""

    party = SelectField(_l("Party waiving"), coerce=int, validators=[InputRequired()])
    period = SelectField(_l("Period waived"), coerce=int, validators=[InputRequired()])

    def prepare(self, case: Any) -> None:
        self.party.choices = opts(_parties(case))
        self.period.choices = opts(
            [(d.id, f"{title_of(d)} · {d.due_on.isoformat() if d.due_on else ''}") for d in open_party_periods(case)]
        )


# -- docketing and the defence --------------------------------------------------------------------


class OfficialsNoticeForm(StepForm):
    """The parties are told who sits on the panel (and who else works on the case)."""

    method = SelectField(
        _l("How the parties were told"),
        choices=opts(
            [
                ("docketing_notice", _l("In the docketing or defence notice")),
                ("separate_notice", _l("By a separate written notice")),
                ("hearing_notice", _l("In the hearing notice")),
                ("at_hearing", _l("Orally at the start of the hearing")),
            ]
        ),
        validators=[InputRequired()],
    )


class ObjectionForm(StepForm):
    """A jurisdiction objection (管辖异议) raised by a respondent ([85]9)."""

    party = SelectField(_l("Raised by"), coerce=int, validators=[InputRequired()])
    grounds = _text(_l("Grounds of the objection"))
    claimed_office = _line(_l("Office the respondent says is competent"), required=False)

    def prepare(self, case: Any) -> None:
        self.party.choices = opts(_parties(case, PartyRole.respondent))


class TransferForm(StepForm):
    """The objection is upheld: the case goes to the competent office ([85]9)."""

    organisation = SelectField(_l("Competent office"), coerce=int, validators=[InputRequired()])

    def prepare(self, case: Any) -> None:
        self.organisation.choices = opts(other_offices(case))


# -- recusal ([85]5) ------------------------------------------------------------------------------


class RecusalApplicationForm(StepForm):
    party = SelectField(_l("Applicant"), coerce=int, validators=[InputRequired()])
    official = SelectField(_l("Official named"), coerce=int, validators=[InputRequired()])
    ground = SelectField(_l("Ground ([85]5)"), choices=opts(RecusalGround.choices()), validators=[InputRequired()])
    facts = _text(_l("Facts given"))

    def prepare(self, case: Any) -> None:
        self.party.choices = opts(_parties(case))
        self.official.choices = opts(case_staff(case))


class RecusalDecisionForm(StepForm):
    decision = SelectField(
        _l("Decision"),
        choices=opts([("granted", _l("Granted: the official withdraws")), ("refused", _l("Refused"))]),
        validators=[InputRequired()],
    )
    replacement = SelectField(_l("Replacement official (when granted)"), coerce=optional_int, validators=[Optional()])

    def prepare(self, case: Any) -> None:
        self.replacement.choices = opts([("", "—"), *replacements(case)])


def replacements(case: Any) -> list[tuple[int, str]]:
    """Who may take over from an official who withdraws: the case's own office's staff who are not
    on the case yet, and the experts' pool (for a technical investigator)."""
    on_case = {a.user_id for a in case.assignments}
    stmt = (
        sa.select(User)
        .where(
            User.is_active,
            sa.or_(
                sa.and_(User.role.in_(CASE_HANDLERS), User.organisation_id == case.organisation_id),
                User.role == Role.expert,
            ),
        )
        .order_by(User.display_name)
    )
    return [(u.id, f"{u.display_name} · {u.role.label}") for u in db.session.scalars(stmt) if u.id not in on_case]


# -- evidence ([85]44–54) ------------------------------------------------------------------------


class EvidenceNoticeForm(StepForm):
    days = IntegerField(
        _l("Evidence period (days from receipt of the notice)"),
        default=MIN_EVIDENCE_DAYS,
        validators=[InputRequired(), NumberRange(min=MIN_EVIDENCE_DAYS, max=365)],
        description=_l("At least 15 days ([85]54). “When” is the day the parties received the notice."),
    )


class EvidenceExtensionForm(StepForm):
    party = SelectField(_l("Requested by"), coerce=int, validators=[InputRequired()])
    days = IntegerField(_l("Extension (days)"), validators=[InputRequired(), NumberRange(min=1, max=365)])

    def prepare(self, case: Any) -> None:
        self.party.choices = opts(_parties(case))


class AppraisalRequestForm(StepForm):
    party = SelectField(_l("Requested by"), coerce=int, validators=[InputRequired()])
    matters = _text(_l("Matters to be appraised"))

    def prepare(self, case: Any) -> None:
        self.party.choices = opts(_parties(case))


class AppraisalDecisionForm(StepForm):
    decision = SelectField(
        _l("Panel's decision"),
        choices=opts([("needed", _l("Appraisal needed")), ("not_needed", _l("Appraisal not needed"))]),
        validators=[InputRequired()],
    )


class AppraisalCommissionForm(StepForm):
    appraiser = _line(_l("Appraiser"))
    chosen_by = SelectField(
        _l("Appraiser chosen"),
        choices=opts(
            [
                ("parties", _l("Agreed by the parties")),
                ("panel", _l("Appointed by the panel (the parties agreed only the cost)")),
            ]
        ),
        validators=[InputRequired()],
    )
    cost = DecimalField(
        _l("Cost (yuan)"), places=2, validators=[InputRequired(), NumberRange(min=0), NumberRange(max=MAX_YUAN)]
    )
    cost_agreed = BooleanField(_l("The parties agreed on the cost"))
    due_on = DateField(_l("Completion date asked for"), validators=[Optional()])


class AppraisalOpinionForm(StepForm):
    conclusion = _text(_l("Conclusion of the opinion"))


class PreservationRequestForm(StepForm):
    party = SelectField(_l("Requested by"), coerce=optional_int, validators=[Optional()])
    items = _text(_l("Evidence to preserve and where it is"))

    def prepare(self, case: Any) -> None:
        self.party.choices = opts([("", _l("The office, of its own motion")), *_parties(case)])


class PreservationDecisionForm(StepForm):
    decision = SelectField(
        _l("Decision"),
        choices=opts([("granted", _l("Preserve the evidence")), ("refused", _l("Refused"))]),
        validators=[InputRequired()],
    )
    items = _text(
        _l("List of preserved items"),
        required=False,
        description=_l("Item, specification or model, quantity, unit price, place of storage."),
    )
    keeper = _line(_l("Kept by and where"), required=False)


class SamplingForm(StepForm):
    items = _text(
        _l("Sampled items"),
        description=_l("Item, specification or model, quantity, unit price, place of storage."),
    )
    place = _line(_l("Where the samples were taken"))


class AssistanceForm(StepForm):
    organisation = SelectField(_l("Office asked for help"), coerce=int, validators=[InputRequired()])
    request = _text(_l("What is asked"))

    def prepare(self, case: Any) -> None:
        self.organisation.choices = opts(other_offices(case))


class ReleaseForm(StepForm):
    items = _text(_l("Items released"))
    collect_by = DateField(
        _l("To be collected by"),
        validators=[Optional()],
        description=_l("The owner collects released items within 3 months."),
    )


class TechOpinionForm(StepForm):
    investigator = SelectField(_l("Technical investigator"), coerce=int, validators=[InputRequired()])
    summary = _text(_l("Opinion (for reference only, not shown to the parties)"))

    def prepare(self, case: Any) -> None:
        self.investigator.choices = opts(
            [(a.user_id, a.user.display_name) for a in case.assignments if a.role == AssignmentRole.tech_investigator]
        )


class JoinderForm(StepForm):
    party = SelectField(_l("Party joined"), coerce=int, validators=[InputRequired()])
    basis = SelectField(
        _l("Basis"),
        choices=opts(
            [
                ("mandatory", _l("Must be joined: co-owner, business operator or partner ([85]23)")),
                ("application", _l("On a party's application ([85]24)")),
                ("third_party", _l("Third party with an interest in the outcome")),
            ]
        ),
        validators=[InputRequired()],
    )

    def prepare(self, case: Any) -> None:
        self.party.choices = opts(_parties_by_id(case, parties_joined(case)))


def _parties_by_id(case: Any, ids: Any) -> list[tuple[int, str]]:
    return [(p.id, f"{p.name} · {p.role.label}") for p in case.parties if p.id in ids]


# -- the oral hearing ([85]26–27) ---------------------------------------------------------------


class HearingForm(StepForm):
    hearing_at = DateTimeLocalField(
        _l("Hearing date and time (China time)"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired()],
        description=_l("At least 3 working days after the notice ([85]26)."),
    )
    place = _line(_l("Place"), required=False)
    online = BooleanField(_l("Online hearing"))
    publicity = SelectField(
        _l("Public or closed"),
        choices=opts([("public", _l("Public")), ("closed", _l("Closed hearing"))]),
        default="public",
        validators=[InputRequired()],
    )
    closed_reason = SelectField(
        _l("Why closed"),
        choices=opts([("", "—"), *ClosedHearingReason.choices()]),
        validators=[Optional()],
        filters=[strip],
    )


class RescheduleForm(HearingForm):
    party = SelectField(_l("Requested by"), coerce=int, validators=[InputRequired()])
    requested_on = DateField(_l("Request received on"), validators=[InputRequired()])

    def prepare(self, case: Any) -> None:
        self.party.choices = opts(_parties(case))


class HoldHearingForm(StepForm):
    attendance = SelectField(
        _l("Attendance"),
        choices=opts(
            [
                ("both", _l("Both sides attended")),
                ("respondent_absent", _l("Respondent absent: heard by default (缺席审理)")),
            ]
        ),
        validators=[InputRequired()],
    )
    attendees = _text(_l("Who attended (names, capacity)"))


# -- deliberation and decision ([85]25, [85]31–32) ------------------------------------------------


class VoteForm(StepForm):
    votes_for = IntegerField(
        _l("Votes for the draft decision"), validators=[InputRequired(), NumberRange(min=0), NumberRange(max=MAX_VOTES)]
    )
    votes_against = IntegerField(
        _l("Votes against"), default=0, validators=[InputRequired(), NumberRange(min=0), NumberRange(max=MAX_VOTES)]
    )
    dissent = _text(_l("Dissenting opinion"), required=False)


class DecisionForm(StepForm):
    outcome = SelectField(_l("Outcome"), choices=opts(DecisionOutcome.choices()), validators=[InputRequired()])
    orders = MultipleChoiceField(
        _l("Cessation orders"),
        choices=opts(CessationMeasure.choices()),
        validators=[Optional()],
        description=_l("Required when infringement is established ([85]31–32)."),
    )
    # no amount: an administrative adjudication orders the infringement to stop and cannot award
    # damages ([PL]65); damages go to mediation. Old decisions' stored amounts are not shown.


class ServiceForm(StepForm):
    method = SelectField(
        _l("Method of service"),
        choices=opts(
            [
                ("direct", _l("Direct service (receipt signed)")),
                ("post", _l("By post (date of receipt)")),
                ("left_at_address", _l("Left at the address (留置送达)")),
                ("public_notice", _l("Public notice (deemed served after 60 days)")),
            ]
        ),
        validators=[InputRequired()],
        description=_l(
            "A decision cannot be served electronically. “When” is the date of service; "
            "for public notice, the day of publication (served 60 days later)."
        ),
    )


class PerformanceForm(StepForm):
    how = _text(_l("How the decision was performed"))


class SettlementStartForm(StepForm):
    requested_by = SelectField(
        _l("At whose wish"),
        choices=opts(
            [("both", _l("Both parties")), ("requester", _l("The requester")), ("respondent", _l("The respondent"))]
        ),
        validators=[InputRequired()],
    )


class SettlementEndForm(StepForm):
    result = SelectField(
        _l("Result"),
        choices=opts(
            [
                ("no_settlement", _l("No settlement: the case goes on")),
                ("settled", _l("Settled: the case is closed by agreement or withdrawal")),
            ]
        ),
        validators=[InputRequired()],
    )


class CorrectionForm(StepForm):
    decision_date = DateField(_l("Date of the decision corrected"), validators=[InputRequired()])
    corrections = _text(_l("Corrections"))


class RevocationForm(StepForm):
    """[85]33: a final invalidation of the patent changes or revokes the decision; what was
    already performed or enforced stands."""

    invalidation_no = _line(_l("Invalidation decision number"))
    final_on = DateField(_l("Date the invalidation became final"), validators=[InputRequired()])
    effect = SelectField(
        _l("Effect on the decision"), choices=opts(RevocationEffect.choices()), validators=[InputRequired()]
    )
    performed = _text(
        _l("Already performed or enforced (stands)"),
        required=False,
        description=_l("The change does not reach back to what was already performed or enforced ([85]33)."),
    )
