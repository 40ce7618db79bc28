from ipcase.cases.enums import Channel


def test_examiner_sees_case_in_list(login_as, create_case):
    case = create_case(Channel.adjudication)
    client = login_as("examiner")
    page = client.get("/cases/")
    assert page.status_code == 200
    assert case.number in page.get_data(as_text=True)
    assert client.get(f"/cases/{case.id}").status_code == 200
