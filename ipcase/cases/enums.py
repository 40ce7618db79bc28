"""Enumerations of the case file (domain.md §9), each with a translated label."""

from flask_babel import lazy_gettext as _l

from ipcase.core.enums import LabelledEnum


class Channel(LabelledEnum):
    adjudication = "adjudication"
    mediation = "mediation"
    station = "station"
    injunction = "injunction"


Channel.set_labels(
    {
        Channel.adjudication: _l("Patent infringement adjudication"),
        Channel.mediation: _l("Mediation"),
        Channel.station: _l("Workstation complaint"),
        Channel.injunction: _l("Administrative injunction"),
    }
)


class CaseSource(LabelledEnum):
    walk_in = "walk_in"
    online = "online"
    workstation = "workstation"
    exhibition = "exhibition"
    transfer = "transfer"
    court_delegation = "court_delegation"
    ex_officio = "ex_officio"


CaseSource.set_labels(
    {
        CaseSource.walk_in: _l("Filed in person"),
        CaseSource.online: _l("Filed online"),
        CaseSource.workstation: _l("Workstation"),
        CaseSource.exhibition: _l("Exhibition"),
        CaseSource.transfer: _l("Transferred from another office"),
        CaseSource.court_delegation: _l("Delegated by a court"),
        CaseSource.ex_officio: _l("Found by the office"),
    }
)


class JurisdictionBasis(LabelledEnum):
    place_of_infringement = "place_of_infringement"
    respondent_domicile = "respondent_domicile"
    designated = "designated"


JurisdictionBasis.set_labels(
    {
        JurisdictionBasis.place_of_infringement: _l("Place of infringement"),
        JurisdictionBasis.respondent_domicile: _l("Respondent's domicile"),
        JurisdictionBasis.designated: _l("Designated by a superior office"),
    }
)


class PartyRole(LabelledEnum):
    requester = "requester"
    respondent = "respondent"
    third_party = "third_party"


PartyRole.set_labels(
    {
        PartyRole.requester: _l("Requester"),
        PartyRole.respondent: _l("Respondent"),
        PartyRole.third_party: _l("Third party"),
    }
)


class PartyKind(LabelledEnum):
    natural_person = "natural_person"
    legal_person = "legal_person"
    unincorporated = "unincorporated"
    individual_business = "individual_business"


PartyKind.set_labels(
    {
        PartyKind.natural_person: _l("Natural person"),
        PartyKind.legal_person: _l("Legal person"),
        PartyKind.unincorporated: _l("Unincorporated organisation"),
        PartyKind.individual_business: _l("Individual business"),
    }
)


class IdType(LabelledEnum):
    resident_id = "resident_id"
    uscc = "uscc"
    passport = "passport"
    hk_macao_permit = "hk_macao_permit"
    taiwan_permit = "taiwan_permit"
    other = "other"


IdType.set_labels(
    {
        IdType.resident_id: _l("Resident identity card"),
        IdType.uscc: _l("Unified social credit code"),
        IdType.passport: _l("Passport"),
        IdType.hk_macao_permit: _l("Hong Kong/Macao travel permit"),
        IdType.taiwan_permit: _l("Taiwan travel permit"),
        IdType.other: _l("Other document"),
    }
)


class Origin(LabelledEnum):
    mainland = "mainland"
    hong_kong = "hong_kong"
    macao = "macao"
    taiwan = "taiwan"
    foreign = "foreign"


Origin.set_labels(
    {
        Origin.mainland: _l("Mainland China"),
        Origin.hong_kong: _l("Hong Kong"),
        Origin.macao: _l("Macao"),
        Origin.taiwan: _l("Taiwan"),
        Origin.foreign: _l("Foreign"),
    }
)


class AgentAuthority(LabelledEnum):
    general = "general"
    special = "special"


AgentAuthority.set_labels(
    {
        AgentAuthority.general: _l("General authority"),
        AgentAuthority.special: _l("Special authority"),
    }
)


class RightType(LabelledEnum):
    patent = "patent"
    trademark = "trademark"
    copyright = "copyright"
    other = "other"


RightType.set_labels(
    {
        RightType.patent: _l("Patent"),
        RightType.trademark: _l("Trademark"),
        RightType.copyright: _l("Copyright"),
        RightType.other: _l("Other right"),
    }
)


class PatentType(LabelledEnum):
    invention = "invention"
    utility_model = "utility_model"
    design = "design"


PatentType.set_labels(
    {
        PatentType.invention: _l("Invention"),
        PatentType.utility_model: _l("Utility model"),
        PatentType.design: _l("Design"),
    }
)


class LegalStatus(LabelledEnum):
    valid = "valid"
    under_invalidation = "under_invalidation"
    invalidated = "invalidated"
    lapsed = "lapsed"
    unknown = "unknown"


LegalStatus.set_labels(
    {
        LegalStatus.valid: _l("In force"),
        LegalStatus.under_invalidation: _l("Invalidation pending"),
        LegalStatus.invalidated: _l("Invalidated"),
        LegalStatus.lapsed: _l("Lapsed"),
        LegalStatus.unknown: _l("Not yet checked"),
    }
)


class AssignmentRole(LabelledEnum):
    handler = "handler"
    panel_leader = "panel_leader"
    panel_member = "panel_member"
    clerk = "clerk"
    mediator = "mediator"
    tech_investigator = "tech_investigator"


AssignmentRole.set_labels(
    {
        AssignmentRole.handler: _l("Case handler"),
        AssignmentRole.panel_leader: _l("Panel leader"),
        AssignmentRole.panel_member: _l("Panel member"),
        AssignmentRole.clerk: _l("Clerk"),
        AssignmentRole.mediator: _l("Mediator"),
        AssignmentRole.tech_investigator: _l("Technical investigator"),
    }
)

PANEL_ROLES = frozenset({AssignmentRole.panel_leader, AssignmentRole.panel_member})


class EntryKind(LabelledEnum):
    positive = "positive"
    change = "change"
    negative = "negative"
    info = "info"


EntryKind.set_labels(
    {
        EntryKind.positive: _l("Progress"),
        EntryKind.change: _l("Change"),
        EntryKind.negative: _l("Setback"),
        EntryKind.info: _l("Note"),
    }
)
