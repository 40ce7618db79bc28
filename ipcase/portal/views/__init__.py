"""The public portal: online filing (``filing``), the status check and acting online
(``case_status``), party accounts (``accounts``), and the two staff routes behind the case page's
portal panel (``staff``), all on the blueprint of ``blueprint``. Importing the package registers
every route on ``bp``."""

from ipcase.portal.views import accounts, case_status, filing, staff
from ipcase.portal.views.blueprint import bp

__all__ = ["accounts", "bp", "case_status", "filing", "staff"]
