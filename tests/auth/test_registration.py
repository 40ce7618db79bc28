"""Portal registration reveals no user name (issue 13): a party's user name is the chosen name
with a random ending, so ``admin``, another staff name, another party's name and a free name
all register the same way, each as a party account of its own."""

import re

import pytest
import sqlalchemy as sa

from ipcase.auth.models import Role, User
from ipcase.core.extensions import db

FORM = {"display_name": "张三", "email": "", "password": "Sign-up-passw0rd-26", "confirm": "Sign-up-passw0rd-26"}
GIVEN = re.compile(r"Your user name is ([A-Za-z0-9._-]+):")


def register(client, name):
    return client.post("/portal/account/register", data=FORM | {"username": name})


def given_name(client) -> str:
    page = client.get("/portal/account/cases").get_data(as_text=True)
    return GIVEN.search(page).group(1)


def answer(client_as, name) -> tuple[int, str, str]:
    """What registering ``name`` shows: status, redirect, and the flash with the name masked."""
    client = client_as()
    response = register(client, name)
    given = given_name(client) if response.status_code == 302 else ""
    return response.status_code, response.headers.get("Location", ""), given.replace(name, "NAME", 1)[:5]


@pytest.mark.parametrize("name", ["admin", "Examiner", "director", "party2"])
def test_registering_a_taken_name_looks_like_registering_a_free_one(client_as, users, name):
    taken = answer(client_as, name)
    free = answer(client_as, "nobody-has-this")
    assert taken[:2] == free[:2] == (302, "/portal/account/cases")
    assert taken[2] == free[2] == "NAME-"


def test_the_new_account_is_a_party_account_of_its_own(client_as, users):
    client = client_as()
    assert register(client, "admin").status_code == 302
    name = given_name(client)
    assert re.fullmatch(r"admin-[23456789a-z]{5}", name)
    account = db.session.scalar(sa.select(User).where(User.username == name))
    assert account.role == Role.party and account.id != users["admin"].id
    db.session.expire_all()
    assert users["admin"].role == Role.admin
    # the party logs in with the name given
    fresh = client_as()
    response = fresh.post("/portal/account/login", data={"username": name, "password": FORM["password"]})
    assert response.status_code == 302 and response.headers["Location"].endswith("/portal/account/cases")


def test_the_same_name_twice_gives_two_accounts(client_as):
    first, second = client_as(), client_as()
    assert register(first, "zhang.san").status_code == 302
    assert register(second, "zhang.san").status_code == 302
    assert given_name(first) != given_name(second)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User).where(User.username.like("zhang.san-%"))) == 2


def test_the_password_must_not_contain_the_chosen_name(client_as):
    response = client_as().post(
        "/portal/account/register",
        data=FORM | {"username": "zhangsan", "password": "zhangsan-2026", "confirm": "zhangsan-2026"},
    )
    assert response.status_code == 422
    assert "must not contain the user name" in response.get_data(as_text=True)


def test_a_long_name_still_fits(client_as):
    client = client_as()
    assert register(client, "x" * 64).status_code == 302
    assert len(given_name(client)) == 64
