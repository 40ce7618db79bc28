from flask import render_template_string
from flask_babel import lazy_gettext as _l

from ipcase.cases.enums import Channel


def test_examiner_sees_case_in_list(login_as, create_case):
    case = create_case(Channel.adjudication)
    client = login_as("examiner")
    page = client.get("/cases/")
    assert page.status_code == 200
    assert case.number in page.get_data(as_text=True)
    assert client.get(f"/cases/{case.id}").status_code == 200


def test_lazy_messages_filled_with_user_input_are_escaped(app):
    with app.test_request_context():
        html = render_template_string("{{ m }}", m=_l("Party removed: %(name)s (%(role)s)", name="<b>x</b>", role="r"))
    assert "<b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
