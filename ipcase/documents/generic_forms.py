"""The forms of the generic document kinds (``documents.generic_kinds``): a body staff complete
from the kind's standard text, which may name parts of the case (:func:`body_context`)."""

from typing import Any

from flask_babel import lazy_gettext as _l

from ipcase.deadlines.operations import rule_length
from ipcase.deadlines.rules import get_rule
from ipcase.documents.forms import DocumentForm, addressee_field, text
from ipcase.documents.wording import ROLE_ZH


def body_context(case: Any) -> dict[str, Any]:
    """What the standard texts of generic documents may name."""
    roles = ROLE_ZH.get(str(case.channel), ROLE_ZH["adjudication"])
    requesters = "、".join(p.name for p in case.requesters)
    respondents = "、".join(p.name for p in case.respondents)
    panel = "、".join(a.user.display_name for a in case.assignments if a.role.value in ("panel_leader", "panel_member"))
    return {
        "case_line": f"{roles['requester']}{requesters}与{roles['respondent']}{respondents}{case.title}一案",
        "cause": case.title,
        "requesters": requesters,
        "respondents": respondents,
        "office": case.organisation.name,
        "panel": panel,
        "evidence_days": rule_length(get_rule("adj.evidence_period"), case.organisation_id),
    }


class GenericForm(DocumentForm):
    """Addressee and body for documents whose text is mostly the case's own (records, letters,
    decisions on a procedural point); staff start from the kind's standard text."""

    ALL_PARTIES_ALLOWED = True
    #: the standard text, formatted with :func:`body_context`
    DEFAULT_BODY = ""
    addressee = addressee_field()
    body = text(_l("Text"), required=True, description=_l("One paragraph per line."))

    def defaults(self, case: Any) -> dict[str, Any]:
        return super().defaults(case) | {"body": self.DEFAULT_BODY.format(**body_context(case))}


class GenericInternalForm(DocumentForm):
    """An internal record or approval form: its body only."""

    DEFAULT_BODY = ""
    body = text(_l("Text"), required=True, description=_l("One paragraph per line."))

    def defaults(self, case: Any) -> dict[str, Any]:
        return {"body": self.DEFAULT_BODY.format(**body_context(case))}


class ItemListForm(DocumentForm):
    """A list of items (evidence preserved or sampled): one row per line, cells separated by |."""

    DEFAULT_BODY = ""
    items = text(
        _l("Items, one per line"),
        required=True,
        description=_l("Cells separated by |: name | specification or model | quantity | where kept | remarks"),
    )
    note = text(_l("Further notes"))


def generic_form(base: type[DocumentForm], body: str) -> type[DocumentForm]:
    """A form class of ``base`` whose standard text is ``body``."""
    return type(f"{base.__name__}Text", (base,), {"DEFAULT_BODY": body})
