"""Client addresses as throttles count them."""

import ipaddress


def client_address(address: str | None) -> str:
    """The key of a client address: IPv4 as it is, IPv6 as its /64 network (one host usually holds
    a whole /64, so single IPv6 addresses would cost an attacker nothing); an IPv4-mapped IPv6
    address as its IPv4 address. Used by the login throttle and the portal's access-code limits."""
    text = (address or "").strip()
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return text[:64] or "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)
