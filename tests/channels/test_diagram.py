"""The procedure diagram is drawn from the transition table itself."""

from ipcase.cases.enums import Channel
from ipcase.channels.adjudication.states import AdjudicationState as S
from ipcase.channels.adjudication.workflow import WORKFLOW
from ipcase.channels.diagram import layout


def test_every_state_is_drawn_and_the_current_one_highlighted():
    d = layout(WORKFLOW, S.received.value, S.evidence.value, lambda s: s)
    assert {n.state for n in d["nodes"]} == {s.value for s in S}
    assert [n.state for n in d["nodes"] if n.is_current] == ["evidence"]
    # arrows out of the current stage are the moves the table allows from it (drawn or listed)
    hot = [e for e in d["edges"] if e.is_from_current]
    listed = [n for n in d["notes"] if n["is_from_current"]]
    drawn_targets = {t.target for t in WORKFLOW.transitions if "evidence" in WORKFLOW.sources_of(t) and t.target}
    assert len(hot) + len(listed) >= len(drawn_targets) - 1


def test_moves_from_many_stages_are_listed_not_drawn():
    d = layout(WORKFLOW, S.received.value, S.received.value, lambda s: s)
    assert {str(n["target"]) for n in d["notes"]} >= {"suspended", "closed_cancelled", "closed_mediated"}
    assert all(e.path.startswith("M") for e in d["edges"])


def test_diagram_on_the_case_page(app, login_as, create_case, users):
    case = create_case(Channel.adjudication, actor=users["examiner"])
    page = login_as("examiner").get(f"/cases/{case.id}").get_data(as_text=True)
    assert 'class="wf"' in page and "wf-current" in page
