"""States of a workstation complaint (domain.md §5)."""

from flask_babel import lazy_gettext as _l

from ipcase.core.enums import LabelledEnum


class StationState(LabelledEnum):
    received = "received"
    incomplete = "incomplete"
    forwarded = "forwarded"
    awaiting_response = "awaiting_response"
    under_review = "under_review"
    measures_taken = "measures_taken"
    awaiting_transfer = "awaiting_transfer"
    resolved = "resolved"
    referred = "referred"
    withdrawn = "withdrawn"
    not_accepted = "not_accepted"
    dismissed = "dismissed"
    transferred = "transferred"


StationState.set_labels(
    {
        StationState.received: _l("Complaint received"),
        StationState.incomplete: _l("Awaiting supplementary material"),
        StationState.forwarded: _l("Forwarded to the office"),
        StationState.awaiting_response: _l("Awaiting respondent's response"),
        StationState.under_review: _l("Response stage over: under review"),
        StationState.measures_taken: _l("On-site measures taken"),
        StationState.awaiting_transfer: _l("Exhibition closed: awaiting transfer"),
        StationState.resolved: _l("Resolved"),
        StationState.referred: _l("Referred to another channel"),
        StationState.withdrawn: _l("Withdrawn"),
        StationState.not_accepted: _l("Not accepted"),
        StationState.dismissed: _l("Closed without measures"),
        StationState.transferred: _l("Transferred to the competent office"),
    }
)

CLOSED = frozenset(
    {
        StationState.resolved,
        StationState.referred,
        StationState.withdrawn,
        StationState.not_accepted,
        StationState.dismissed,
        StationState.transferred,
    }
)


# -- procedural vocabularies ------------------------------------------------------------------------


class OnSiteMeasure(LabelledEnum):
    """What the workstation has done on site ([EXPO]7, [EXPO-G]14)."""

    withdraw_exhibits = "withdraw_exhibits"
    cover_exhibits = "cover_exhibits"
    seal_materials = "seal_materials"
    remove_display_boards = "remove_display_boards"
    takedown_links = "takedown_links"
    stop_sales = "stop_sales"


OnSiteMeasure.set_labels(
    {
        OnSiteMeasure.withdraw_exhibits: _l("Withdraw the exhibits (撤展)"),
        OnSiteMeasure.cover_exhibits: _l("Cover the exhibits (遮盖)"),
        OnSiteMeasure.seal_materials: _l("Seal brochures and promotional material (封存宣传资料)"),
        OnSiteMeasure.remove_display_boards: _l("Remove display boards (撤下展板)"),
        OnSiteMeasure.takedown_links: _l("Delete, block or disconnect links (删除链接)"),
        OnSiteMeasure.stop_sales: _l("Stop sales on site (停止销售)"),
    }
)


class NoticeMethod(LabelledEnum):
    """How the respondent was told of the complaint ([EXPO]12)."""

    in_person = "in_person"
    organiser = "organiser"
    phone = "phone"
    written = "written"
    electronic = "electronic"


NoticeMethod.set_labels(
    {
        NoticeMethod.in_person: _l("In person at the booth or shop"),
        NoticeMethod.organiser: _l("Through the organiser"),
        NoticeMethod.phone: _l("By telephone"),
        NoticeMethod.written: _l("Written notice delivered"),
        NoticeMethod.electronic: _l("Electronically (e-mail, message, platform)"),
    }
)


class ResponsePosition(LabelledEnum):
    """What the respondent's response says ([EXPO]13–14, [EXPO-G]14)."""

    denies = "denies"
    admits = "admits"
    invalidation = "invalidation"
    licensed = "licensed"
    other = "other"


ResponsePosition.set_labels(
    {
        ResponsePosition.denies: _l("Denies infringement"),
        ResponsePosition.admits: _l("Admits the infringement"),
        ResponsePosition.invalidation: _l("Says an invalidation request is pending"),
        ResponsePosition.licensed: _l("Claims a licence or prior right"),
        ResponsePosition.other: _l("Other"),
    }
)


# -- [EXPO-G]14: when on-site measures may follow --------------------------------------------------


def measures_refusal(
    *,
    response_position: str | None,
    response_in_time: bool | None,
    response_period_running: bool,
    ruling_recorded: bool,
) -> object | None:
    """Why on-site measures may not be taken yet, or None ([EXPO-G]14): they follow when the
    respondent gave no statement within the 24-hour period, admits the infringement, or the
    infringement is confirmed by a final ruling. A denial (or any other defence) made in time
    leaves the dispute to adjudication or mediation."""
    if ruling_recorded or response_position == ResponsePosition.admits:
        return None
    if response_position is None:
        if response_period_running:
            return _l("The 24-hour response period is still running; wait for it to end or record the response.")
        return None
    if response_in_time is False:
        return None
    return _l(
        "The respondent answered within the 24-hour period without admitting the infringement: on-site "
        "measures need an admission or a final ruling ([EXPO-G]14). Record the ruling, or refer the "
        "dispute for adjudication or mediation."
    )
