"""Where the user's engine server is: parse the URL and decide whether it may be used.

`https` is always allowed (certificates are checked). Plain `http` is allowed only when every
address the host name resolves to is on this machine (loopback) or on a private network
(10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7, link-local); the text then crosses the local
network unencrypted, and `Endpoint.warning` says so in words the UI and the CLI show.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..errors import InputError

API_SUFFIXES = ("/v1/chat/completions", "/v1/completions", "/chat/completions", "/completions", "/v1/", "/v1")


@dataclass(frozen=True)
class Endpoint:
    scheme: str  # "http" | "https"
    host: str
    port: int
    base_path: str  # "" or a path prefix such as "/llama" (reverse proxies); never ends with "/"
    warning: str = ""  # non-empty for plain http

    @property
    def origin(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        port = "" if self.port == default else f":{self.port}"
        return f"{self.scheme}://{host}{port}"

    @property
    def url(self) -> str:
        return self.origin + self.base_path

    @property
    def label(self) -> str:
        """How the UI names this engine: 'on <host>'."""
        return f"on {self.host}"


def _is_local(addr: str) -> bool:
    ip = ipaddress.ip_address(addr.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    shared = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT / tailnets
    return ip.is_loopback or ip.is_private or ip.is_link_local or ip in shared


def _resolve(host: str, port: int) -> list[str]:
    try:
        return sorted({info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)})
    except socket.gaierror as exc:
        raise InputError(f"the engine server's name '{host}' cannot be found ({exc.strerror}); check the URL") from None


def parse(url: str, resolve=_resolve) -> Endpoint:
    """An Endpoint for `url`, or InputError saying what is wrong with it. Plain http to a name
    resolves the name (the only network use before the first request) to check it is private."""
    raw = (url or "").strip()
    if not raw:
        raise InputError("no engine server URL given")
    if "://" not in raw:
        raise InputError(f"the engine URL '{raw}' needs a scheme: https://host:port (or http:// on your own network)")
    parts = urlsplit(raw)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise InputError(f"the engine URL must start with https:// or http://, not {parts.scheme}://")
    if parts.username or parts.password:
        raise InputError("put the API key in the key setting (or HUSHWRITE_ENGINE_KEY), not in the URL")
    host = parts.hostname or ""
    if not host:
        raise InputError(f"the engine URL '{raw}' has no host name")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise InputError(f"the engine URL '{raw}' has an invalid port") from None
    path = parts.path.rstrip("/")
    for suffix in API_SUFFIXES:  # people paste the API URL; we want the server's base
        if path.endswith(suffix.rstrip("/")):
            path = path[: len(path) - len(suffix.rstrip("/"))]
            break
    if parts.query or parts.fragment:
        raise InputError(f"the engine URL '{raw}' should not have a query or fragment")
    warning = ""
    if scheme == "http":
        try:
            addrs = [str(ipaddress.ip_address(host))]
        except ValueError:
            addrs = resolve(host, port)
        outside = [a for a in addrs if not _is_local(a)]
        if outside:
            raise InputError(
                f"plain http:// is only allowed to this computer or your private network, and {host} is "
                f"{', '.join(outside)}; use https://"
            )
        loopback = all(ipaddress.ip_address(a.split('%', 1)[0]).is_loopback for a in addrs)
        warning = (
            f"the engine at {host} is reached over plain http: " +
            ("the text stays on this computer but is not encrypted" if loopback
             else "your text crosses your local network unencrypted; use https:// if others share that network")
        )
    return Endpoint(scheme, host, port, path, warning)
