"""Account administration: creating and editing users through /admin, and the create-user command."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from ipcase.auth.models import Role, User
from ipcase.core import clock
from ipcase.core.extensions import db
from tests import factories

ERRORS = re.compile(r'<p class="error" role="alert">([^<]*)</p>|<div class="form-errors" role="alert"><p>([^<]*)</p>')


def errors(response) -> str:
    return " | ".join(a or b for a, b in ERRORS.findall(response.get_data(as_text=True)))


def user_form(**overrides) -> dict:
    data = {
        "username": "newexaminer",
        "display_name": "新审查员",
        "email": "new@example.cn",
        "phone": "028-12345678",
        "role": "examiner",
        "organisation_id": str(factories.org("cdip").id),
        "is_active": "y",
        "password": "Strong-passw0rd-1",
    }
    return data | overrides


def find(username: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.username == username))


def test_create_user(client_as):
    client = client_as("admin")
    assert client.get("/admin/users/new").status_code == 200
    response = client.post("/admin/users/new", data=user_form())
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/users"
    user = find("newexaminer")
    assert (user.role, user.organisation.code, user.display_name) == (Role.examiner, "cdip", "新审查员")
    assert user.password_hash != "Strong-passw0rd-1"
    fresh = client_as()
    assert fresh.post("/login", data={"username": "newexaminer", "password": "Strong-passw0rd-1"}).status_code == 302
    assert "newexaminer" in client.get("/admin/users").get_data(as_text=True)


@pytest.mark.parametrize("role", ["party", "expert", "admin"])
def test_roles_without_an_organisation(client_as, role):
    response = client_as("admin").post("/admin/users/new", data=user_form(role=role, organisation_id=""))
    assert response.status_code == 302
    assert find("newexaminer").organisation is None


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"password": "short-1"}, "at least 10 characters"),
        ({"password": "onlylettersinit"}, "letters and digits"),
        ({"password": "x-newexaminer-1"}, "must not contain the user name"),
        ({"password": ""}, "Set a first password"),
        ({"organisation_id": ""}, "must belong to an organisation"),
        ({"role": "station_officer", "organisation_id": ""}, "must belong to an organisation"),
        ({"username": "EXAMINER"}, "taken"),
        ({"username": "examiner"}, "taken"),
        ({"username": "bad name"}, "Use letters, digits"),
        ({"username": "ab"}, ""),
        ({"username": "x" * 65}, ""),
        ({"display_name": ""}, ""),
        ({"email": "not-an-email"}, ""),
        ({"role": "superuser"}, ""),
        ({"organisation_id": "999999"}, ""),
    ],
)
def test_create_user_refused(client_as, overrides, fragment):
    before = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    response = client_as("admin").post("/admin/users/new", data=user_form(**overrides))
    assert response.status_code == 422
    assert fragment in errors(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == before


def test_edit_user(client_as, users):
    client = client_as("admin")
    target = users["examiner2"]
    url = f"/admin/users/{target.id}/edit"
    assert client.get(url).status_code == 200
    data = user_form(username="ignored", display_name="改名", role="director", email="")
    response = client.post(url, data=data | {"password": ""})
    assert response.status_code == 302
    db.session.expire_all()
    assert (target.username, target.display_name, target.role) == ("examiner2", "改名", Role.director)
    assert client_as("examiner2") is not None  # the old password still works: an empty field keeps it


def test_edit_user_sets_a_new_password_and_unlocks(client_as, users):
    target = users["examiner2"]
    target.failed_logins = 3
    target.locked_until = clock.now() + timedelta(minutes=10)
    db.session.commit()
    client = client_as("admin")
    url = f"/admin/users/{target.id}/edit"
    assert client.post(url, data=user_form(password="weak")).status_code == 422
    assert client.post(url, data=user_form(password="Another-passw0rd-9")).status_code == 302
    db.session.expire_all()
    assert (target.failed_logins, target.locked_until) == (0, None)
    anonymous = client_as()
    assert anonymous.post("/login", data={"username": "examiner2", "password": "Another-passw0rd-9"}).status_code == 302


def test_deactivate_user(client_as, users):
    client = client_as("admin")
    data = user_form(password="")
    del data["is_active"]  # an unticked box is not sent
    assert client.post(f"/admin/users/{users['examiner2'].id}/edit", data=data).status_code == 302
    db.session.expire_all()
    assert users["examiner2"].is_active is False


@pytest.mark.parametrize(
    "overrides",
    [
        {"role": "examiner"},
        {"role": "party", "organisation_id": ""},
        {"role": "admin", "is_active": None},  # deactivating oneself
    ],
)
def test_admin_cannot_remove_their_own_admin_rights(client_as, users, overrides):
    me = users["admin"]
    data = user_form(password="", organisation_id="") | overrides
    if data.get("role") == "examiner":
        data["organisation_id"] = str(factories.org("cdip").id)
    data = {k: v for k, v in data.items() if v is not None}
    response = client_as("admin").post(f"/admin/users/{me.id}/edit", data=data)
    assert response.status_code == 422
    assert "cannot remove your own administrator rights" in errors(response)
    db.session.expire_all()
    assert (me.role, me.is_active) == (Role.admin, True)


def test_edit_unknown_user_is_404(client_as):
    client = client_as("admin")
    assert client.get("/admin/users/999999/edit").status_code == 404
    assert client.get("/admin/users/0/edit").status_code == 404


def test_staff_cannot_administer(client_as, users):
    client = client_as("director")
    assert client.post("/admin/users/new", data=user_form()).status_code == 403
    assert client.post(f"/admin/users/{users['director'].id}/edit", data=user_form(role="admin")).status_code == 403
    assert find("newexaminer") is None
    db.session.expire_all()
    assert users["director"].role == Role.director


# -- the command line ------------------------------------------------------------------------------


def cli_create(app, *args):
    return app.test_cli_runner().invoke(
        args=["ipcase", "create-user", "--username", "cliuser", "--name", "命令行用户", *args]
    )


def test_cli_create_user(app):
    result = cli_create(app, "--role", "examiner", "--organisation", "cdip", "--password", "Strong-passw0rd-1")
    assert result.exit_code == 0, result.output
    user = find("cliuser")
    assert (user.role, user.organisation.code) == (Role.examiner, "cdip")


@pytest.mark.parametrize(
    "args",
    [
        ("--role", "examiner", "--organisation", "cdip", "--password", "weak"),
        ("--role", "examiner", "--password", "Strong-passw0rd-1"),
        ("--role", "examiner", "--organisation", "nowhere", "--password", "Strong-passw0rd-1"),
        ("--role", "king", "--password", "Strong-passw0rd-1"),
    ],
)
def test_cli_create_user_refused(app, args):
    result = cli_create(app, *args)
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert find("cliuser") is None
