"""The evidence list on the case page: list, add (with an optional file), download, remove.

Routes live on the cases blueprint (imported at the end of ``cases/views.py``); the panel's data
comes from the ``evidence_panel(case)`` template function registered here."""

from io import BytesIO
from typing import Any

from flask import abort, flash, redirect, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy.exc import IntegrityError
from wtforms import DateTimeLocalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ipcase.auth.models import Role
from ipcase.cases.evidence import (
    MAX_FILE_SIZE,
    EvidenceForm,
    EvidenceItem,
    add_evidence,
    remove_evidence,
    visible_items,
)
from ipcase.cases.models import Case
from ipcase.cases.permissions import can_edit
from ipcase.cases.views import bp, get_case_or_404, get_editable_case
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.core.forms import opts
from ipcase.core.views import commit_or_flash


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class EvidenceItemForm(FlaskForm):
    title = StringField(_l("Item of evidence"), validators=[DataRequired(), Length(max=200)], filters=[_strip])
    purpose = TextAreaField(_l("What it proves"), validators=[Length(max=4000)], filters=[_strip])
    source = StringField(_l("Source"), validators=[Length(max=200)], filters=[_strip])
    pages = IntegerField(_l("Pages"), validators=[Optional(), NumberRange(min=1, max=100000)])
    kind = SelectField(_l("Form"), choices=opts(EvidenceForm.choices()), default=EvidenceForm.copy.value)
    submitted_by_party_id = SelectField(_l("Submitted by"), validators=[Optional()], filters=[_strip])
    received_at = DateTimeLocalField(_l("Received (China time)"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    file = FileField(
        _l("File (PDF, JPEG or PNG, up to 20 MB)"),
        description=_l("Optional. The type is checked from the file's content."),
    )

    def prepare(self, case: Case) -> "EvidenceItemForm":
        self.submitted_by_party_id.choices = opts(
            [("", _("The office")), *((str(p.id), f"{p.name} ({p.role.label})") for p in case.parties)]
        )
        return self


def evidence_panel(case: Case) -> dict[str, Any]:
    """What ``cases/_evidence.html`` shows to the current user."""
    editable = can_edit(current_user, case)
    form = EvidenceItemForm(prefix="evidence", formdata=None).prepare(case) if editable else None
    return {
        "entries": visible_items(case, current_user),
        "form": form,
        "can_edit": editable,
        "party_view": current_user.role == Role.party,
    }


@bp.app_context_processor
def _inject_evidence_panel() -> dict[str, Any]:
    return {"evidence_panel": evidence_panel}


def _back(case: Case) -> Any:
    return redirect(url_for(".show_case", case_id=case.id) + "#evidence")


@bp.post("/<id:case_id>/evidence")
def add_evidence_item(case_id: int) -> Any:
    case = get_editable_case(case_id)
    form = EvidenceItemForm(prefix="evidence").prepare(case)
    if not form.validate_on_submit():
        for name, errors in form.errors.items():
            label = form[name].label.text if name in form else ""
            for message in errors:
                flash(f"{label}: {message}" if label else message, "danger")
        return _back(case)
    upload = None
    storage = form.file.data
    if storage is not None and getattr(storage, "filename", ""):
        # read one byte more than allowed: enough to know the file is too large
        upload = (storage.filename, storage.stream.read(MAX_FILE_SIZE + 1))
    data = {
        "title": form.title.data,
        "purpose": form.purpose.data,
        "source": form.source.data,
        "pages": form.pages.data,
        "form": form.kind.data,
        "submitted_by_party_id": int(form.submitted_by_party_id.data) if form.submitted_by_party_id.data else None,
        "received_at": clock.from_local(form.received_at.data) if form.received_at.data else None,
    }
    try:
        item = add_evidence(case, data, actor=current_user, upload=upload)
    except DomainError as exc:
        db.session.rollback()
        for message in exc.messages:
            flash(message, "danger")
    except IntegrityError:
        # someone listed an item at the same moment and took its number
        db.session.rollback()
        flash(_("Another item was listed at the same time. Please send the form again."), "danger")
    else:
        db.session.commit()
        flash(_("Evidence no. %(position)s listed.", position=item.position), "success")
    return _back(case)


def _item_or_404(case: Case, item_id: int) -> EvidenceItem:
    item = db.session.get(EvidenceItem, item_id)
    if item is None or item.case_id != case.id:
        abort(404)
    return item


@bp.get("/<id:case_id>/evidence/<id:item_id>/file")
def download_evidence(case_id: int, item_id: int) -> Any:
    case = get_case_or_404(case_id)
    item = _item_or_404(case, item_id)
    if item not in visible_items(case, current_user) or not item.has_file:
        abort(404)
    return send_file(
        BytesIO(item.data or b""),
        mimetype=item.content_type,
        as_attachment=True,
        download_name=item.filename,
        max_age=0,
    )


@bp.post("/<id:case_id>/evidence/<id:item_id>/delete")
def remove_evidence_item(case_id: int, item_id: int) -> Any:
    case = get_editable_case(case_id)
    item = _item_or_404(case, item_id)
    commit_or_flash(lambda: remove_evidence(item, actor=current_user), _("Evidence removed."))
    return _back(case)
