"""What a document kind is (:class:`DocumentKind`) and the channel and party-role sets the
catalogue (``documents.catalogue``, ``documents.generic_kinds``) describes kinds with."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ipcase.documents.forms import DocumentForm


@dataclass(frozen=True)
class DocumentKind:
    key: str
    #: the official title printed on the document
    title: str
    #: the name staff see, in their language
    label: Any
    #: type code in the document number, e.g. 裁 in 成知裁〔2026〕3号; kinds sharing a code share a counter
    code: str
    channels: frozenset[str]
    form: type[DocumentForm]
    #: ``rule:<id>`` (the rule's current citation) or a citation text
    basis: tuple[str, ...] = ()
    #: the kind's own snapshot parts: f(case, fields, snapshot) -> dict (periods, Chinese wording ...)
    builder: Callable[..., dict[str, Any]] | None = None
    #: template under templates/documents/pdf/ (default: the key)
    template: str = ""
    #: an internal form (审批表, 笔录): never shown to the parties
    internal: bool = False
    #: issued by the head of the office only (decisions)
    director_only: bool = False
    #: serving this document on a party in ``roles`` records ``event`` (starts its periods)
    service_event: tuple[str, frozenset[str]] | None = None
    #: may be issued for many cases at once
    batchable: bool = False
    #: may be prepared whatever steps were taken (service receipts, demands ...)
    always: bool = False
    #: generic kinds: the body text staff start from
    default_body: str = ""
    #: service by electronic means / by leaving at the address is not allowed (domain §1 P10)
    forbids: frozenset[str] = field(default_factory=frozenset)

    @property
    def template_file(self) -> str:
        return self.template or self.key


ADJ = frozenset({"adjudication"})
MED = frozenset({"mediation"})
STA = frozenset({"station"})
INJ = frozenset({"injunction"})
RESPONDENT = frozenset({"respondent"})
ANYONE = frozenset({"requester", "respondent", "third_party"})
