"""Import every model module so the metadata is complete (for Alembic and ``create_all``)."""

import ipcase.channels  # noqa: F401  (the four channels register themselves and their models)
from ipcase.auth.models import User  # noqa: F401
from ipcase.cases.evidence import EvidenceItem  # noqa: F401
from ipcase.cases.models import Agent, Assignment, Case, IPRight, Party, TimelineEntry  # noqa: F401
from ipcase.core import outbox as _outbox  # noqa: F401
from ipcase.core.numbering import Counter  # noqa: F401
from ipcase.credit.models import CreditEvent  # noqa: F401
from ipcase.deadlines import models as _deadline_models  # noqa: F401
from ipcase.documents import models as _document_models  # noqa: F401
from ipcase.organisations.models import Organisation  # noqa: F401
from ipcase.pools import models as _pool_models  # noqa: F401
from ipcase.portal import models as _portal_models  # noqa: F401
from ipcase.tasks import models as _task_models  # noqa: F401
