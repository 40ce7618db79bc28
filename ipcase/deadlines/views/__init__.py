"""Deadline pages: the blueprint (``blueprint``), the case panel and its actions (``case_panel``),
the staff's own pages (``staff``) and the administrators' calendar, rules catalogue and duty roster
(``admin``). Importing the package registers every route on ``bp``."""

from ipcase.deadlines.views import admin, case_panel, staff
from ipcase.deadlines.views.blueprint import bp
from ipcase.deadlines.views.case_panel import case_panel_context
from ipcase.deadlines.views.countdowns import countdown

__all__ = ["admin", "bp", "case_panel", "case_panel_context", "countdown", "staff"]
