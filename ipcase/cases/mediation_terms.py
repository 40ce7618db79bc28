"""What a mediation request is about and of which kind ([85]63–64), and the checks of a request
form's subject. Named in the case file, below the channels, because the staff intake, the portal's
filing, a transfer into mediation and the workstations' referral to mediation all ask for them;
the mediation channel's model stores them."""

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms.validators import StopValidation, ValidationError

from ipcase.cases.enums import Channel
from ipcase.core.enums import LabelledEnum


class MediationType(LabelledEnum):
    administrative = "administrative"
    peoples = "peoples"
    court_delegated = "court_delegated"
    court_entrusted = "court_entrusted"
    arbitral = "arbitral"
    commercial = "commercial"


MediationType.set_labels(
    {
        MediationType.administrative: _l("Administrative mediation"),
        MediationType.peoples: _l("People's mediation"),
        MediationType.court_delegated: _l("Court-delegated mediation"),
        MediationType.court_entrusted: _l("Court-entrusted mediation"),
        MediationType.arbitral: _l("Arbitral mediation"),
        MediationType.commercial: _l("Commercial mediation"),
    }
)


class MediationSubject(LabelledEnum):
    """What the mediation is about ([85]63); ``damages`` is the damages-only mediation after a
    finding of infringement, which needs that decision ([85]64, [PL]65)."""

    ownership = "ownership"
    inventorship = "inventorship"
    inventor_reward = "inventor_reward"
    interim_use = "interim_use"
    damages = "damages"
    other = "other"


MediationSubject.set_labels(
    {
        MediationSubject.ownership: _l("Ownership of the patent application or patent right"),
        MediationSubject.inventorship: _l("Inventorship or designer status"),
        MediationSubject.inventor_reward: _l("Reward or remuneration of the inventor or designer"),
        MediationSubject.interim_use: _l("Fee for use between publication and grant"),
        MediationSubject.damages: _l("Damages for an infringement already found"),
        MediationSubject.other: _l("Other patent dispute"),
    }
)


def subject_problems(subject: str | None, decision_no: str, decision_on: date | None) -> list[tuple[str, Any]]:
    """Why a mediation request's subject is incomplete ([85]63–64): (field, message) pairs.
    The subject is required; damages only need the number and date of the decision that found
    the infringement."""
    if subject not in {s.value for s in MediationSubject}:
        return [("subject", _l("Choose what the mediation is about ([85]63)."))]
    problems: list[tuple[str, Any]] = []
    if subject == MediationSubject.damages:
        if not (decision_no or "").strip():
            problems.append(
                ("infringement_decision_no", _l("Give the number of the decision that found the infringement."))
            )
        if decision_on is None:
            problems.append(
                ("infringement_decision_on", _l("Give the date of the decision that found the infringement."))
            )
    return problems


class MediationSubjectChecks:
    """Checks of a request form's [85]63 subject and, for damages only, the [85]64 decision: the
    staff intake and the portal filing share them. The form has ``subject``,
    ``infringement_decision_no``, ``infringement_decision_on`` (validated by
    ``required_for_damages`` before ``Optional``) and ``channel_value``."""

    channel_value: str

    def _subject_problem(self, name: str) -> None:
        if self.channel_value != Channel.mediation:
            return
        form: Any = self
        problems = subject_problems(
            form.subject.data or None, form.infringement_decision_no.data or "", form.infringement_decision_on.data
        )
        for field_name, message in problems:
            if field_name == name:
                raise ValidationError(message)

    def required_for_damages(self, field: Any) -> None:
        """Runs before ``Optional``, which would skip an empty date."""
        if field.data is None:
            try:
                self._subject_problem(field.name)
            except ValidationError as exc:
                field.errors[:] = []
                raise StopValidation(str(exc)) from None

    def validate_subject(self, field: Any) -> None:
        self._subject_problem("subject")

    def validate_infringement_decision_no(self, field: Any) -> None:
        self._subject_problem("infringement_decision_no")
