"""Sessions end (issue 13): a copy of the session cookie stops working after logout, a password
change, an admin's role change or password reset and a deactivation (reactivated or not); the
session that changes its own password stays in."""

import pytest

from ipcase.core.extensions import db
from tests import factories
from tests.cases.helpers import FreshClient

NEW_PASSWORD = "New-passw0rd-2026"


def copy_of(app, client) -> FreshClient:
    """Another browser holding a copy of ``client``'s session cookie."""
    thief = FreshClient(app, app.response_class, use_cookies=True)
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def logged_in(client) -> bool:
    response = client.get("/cases/")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def edit_form(user, **overrides) -> dict:
    data = {
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "phone": user.phone,
        "role": user.role.value,
        "organisation_id": str(user.organisation_id or ""),
        "is_active": "y",
        "password": "",
    }
    return {k: v for k, v in (data | overrides).items() if v is not None}


def test_a_cookie_copied_before_logout_is_refused_after(app, client_as):
    client = client_as("examiner")
    thief = copy_of(app, client)
    assert logged_in(thief)
    assert client.post("/logout").status_code == 302
    assert not logged_in(thief)
    assert not logged_in(client)
    assert client_as("examiner") is not None  # logging in again works


def test_logout_from_the_portal_ends_the_session_too(app, client_as):
    client = client_as()
    assert (
        client.post("/portal/account/login", data={"username": "party", "password": factories.PASSWORD}).status_code
        == 302
    )
    thief = copy_of(app, client)
    assert thief.get("/portal/account/cases").status_code == 200
    client.post("/portal/account/logout")
    assert thief.get("/portal/account/cases").status_code == 302


def test_logout_ends_the_other_sessions_of_the_account(client_as):
    office, home = client_as("examiner"), client_as("examiner")
    office.post("/logout")
    assert not logged_in(home)


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(app, client_as):
    client, other = client_as("examiner"), client_as("examiner")
    response = client.post(
        "/account/password", data={"current": factories.PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert logged_in(client)
    assert not logged_in(other)


def test_a_refused_password_change_ends_nothing(client_as):
    client, other = client_as("examiner"), client_as("examiner")
    data = {"current": "not-my-password-1", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert client.post("/account/password", data=data).status_code == 422
    assert logged_in(client) and logged_in(other)


@pytest.mark.parametrize(
    "change",
    [
        {"role": "director"},
        {"password": "Admin-set-passw0rd-1"},
        {"is_active": None},  # deactivated (an unticked box is not sent)
    ],
)
def test_an_admins_change_ends_the_accounts_sessions(client_as, users, change):
    target = users["examiner2"]
    victim = client_as("examiner2")
    response = client_as("admin").post(f"/admin/users/{target.id}/edit", data=edit_form(target, **change))
    assert response.status_code == 302
    assert not logged_in(victim)


def test_deactivation_then_reactivation_does_not_revive_an_old_cookie(client_as, users):
    target = users["examiner2"]
    victim = client_as("examiner2")
    admin = client_as("admin")
    assert admin.post(f"/admin/users/{target.id}/edit", data=edit_form(target, is_active=None)).status_code == 302
    db.session.expire_all()
    assert admin.post(f"/admin/users/{target.id}/edit", data=edit_form(target)).status_code == 302
    db.session.expire_all()
    assert target.is_active
    assert not logged_in(victim)
    assert logged_in(client_as("examiner2"))


def test_an_edit_of_name_or_contact_keeps_the_sessions(client_as, users):
    target = users["examiner2"]
    victim = client_as("examiner2")
    data = edit_form(target, display_name="新名字", email="new@example.cn")
    assert client_as("admin").post(f"/admin/users/{target.id}/edit", data=data).status_code == 302
    assert logged_in(victim)


def test_an_admin_resetting_their_own_password_stays_in(app, client_as, users):
    me = users["admin"]
    admin, elsewhere = client_as("admin"), client_as("admin")
    data = edit_form(me, password="Own-new-passw0rd-1")
    assert admin.post(f"/admin/users/{me.id}/edit", data=data).status_code == 302
    assert admin.get("/admin/users").status_code == 200
    assert elsewhere.get("/admin/users").status_code == 302


def test_a_session_from_before_the_session_version_is_refused(app, client_as):
    client = client_as("examiner")
    with client.session_transaction() as session:
        session.pop("_sv")
    assert not logged_in(client)
