"""What the views share about requests: the bounds of ids in addresses, safe redirect targets and
the session key holding the account's session version. Below every blueprint, so views never
import the app's wiring (``ipcase.web``) back."""

from urllib.parse import urlsplit

#: the largest database id an address may carry (32-bit integer): a larger one is a plain 404
MAX_ID = 2**31 - 1

#: a page address longer than this is not one of ours
MAX_NEXT = 2000

#: the session key holding the account's session version (``users.session_version``): a login
#: stores it, and a session whose version is behind the account's has ended
SESSION_VERSION_KEY = "_sv"


def is_safe_next(target: str | None) -> bool:
    """A redirect target (after login, after the language switch) must stay on this site and go
    into the Location header as it is: a path (no scheme, no host, not ``//``), no backslash
    (browsers read ``/\\host`` as ``//host``), no control character (a line break would split the
    header), of a sane length."""
    if not target or len(target) > MAX_NEXT or "\\" in target:
        return False
    if any(ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 for char in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//")
