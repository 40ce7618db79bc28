"""What a lower layer announces for a higher one to act on (blinker signals).

The case file and the accounts sit below the periods (``deadlines``), the pools and the
notifications that react to them, so they never call those packages: they announce the event
once, here, and whoever must act subscribes at import. ``require_receivers`` (called by the app
factory) refuses to start when a signal that must be heard has no receiver — a recusal check or a
statutory period must never be skipped because a module was not imported.

Receivers run in the sender's transaction, in the order they connected; an exception (e.g. a
``DomainError`` refusing an assignment) propagates to the sender and nothing is changed.
"""

from blinker import Namespace

_signals = Namespace()

#: a case was opened (sender: the case; ``at``: its receipt, ``actor``): the periods that run from
#: the receipt start (``deadlines.triggers``)
case_opened = _signals.signal("case-opened")

#: someone is about to be put on a case (sender: the case; ``user``, ``role``,
#: ``acknowledge_warnings``): a receiver refuses by raising, or returns the warnings (timeline
#: references) to record with the assignment (``pools.operations``: recusal, [85]5)
assignment_checked = _signals.signal("assignment-checked")

#: someone was put on a case (sender: the case; ``assignment``, ``actor``): periods an assignment
#: starts (``deadlines.triggers``: the parties told of a technical investigator)
staff_assigned = _signals.signal("staff-assigned")

#: wrong passwords for an account from an address it never logged in from, once per burst
#: (sender: the account; ``address``, ``at``): the owner and the administrators are told
#: (``deadlines.notify``)
login_attacked = _signals.signal("login-attacked")

#: the signals the app may not run without a receiver for
REQUIRED = (case_opened, assignment_checked, staff_assigned, login_attacked)


def require_receivers() -> None:
    """Raise when a required signal has no receiver (its subscribing module was not imported)."""
    missing = [signal.name for signal in REQUIRED if not signal.receivers]
    if missing:
        raise RuntimeError(f"no receiver for {', '.join(missing)}: the app factory imports the subscribers")
