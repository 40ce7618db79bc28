"""Two staff issuing a portal access code for the same party at the same moment (issue 13),
on PostgreSQL with two real connections: the party ends with one active code, the one issued
last (before, each issue revoked the codes it could see and both new codes stayed active)."""

import sqlalchemy as sa

from ipcase.cases.models import Case
from ipcase.core.extensions import db
from ipcase.portal.access import check_code
from ipcase.portal.models import PortalAccess
from ipcase.portal.operations import issue_access_code
from tests.concurrency.conftest import PAIRS, case_ids, race


def test_two_codes_issued_at_once_leave_one_active(race_app):
    codes: dict[int, list[str]] = {}
    doubled = []
    for case_id in case_ids(race_app):

        def issue(case, user, case_id=case_id):
            codes.setdefault(case_id, []).append(issue_access_code(case, case.respondents[0], actor=user))

        outcomes = race(race_app, case_id, ("examiner", issue), ("examiner2", issue))
        assert outcomes == ["done", "done"]
        with race_app.app_context():
            case = db.session.get(Case, case_id)
            active = db.session.scalars(
                sa.select(PortalAccess).where(
                    PortalAccess.party_id == case.respondents[0].id, PortalAccess.revoked_at.is_(None)
                )
            ).all()
            if len(active) != 1:
                doubled.append(case_id)
            else:
                # the one left is the code issued last; the other no longer opens the case
                assert check_code(active[0].code_hash, codes[case_id][-1])
                assert not check_code(active[0].code_hash, codes[case_id][0])
            db.session.remove()
    assert not doubled, f"{len(doubled)} of {PAIRS} parties were left with two active codes"
