"""Which engine the user chose, and the server's API key.

Nothing here opens a connection: with no URL configured (`--engine-url`, HUSHWRITE_ENGINE_URL,
or the app's "My server" setting) Hushwrite uses the model on this computer and never touches the
network. The API key is never kept in a plain settings file: it comes from HUSHWRITE_ENGINE_KEY,
the system keyring (service "Hushwrite engine", user = the server's origin), or the encrypted
store (setting "engine.api_key:<origin>") when the keyring is unavailable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..errors import InputError
from . import address

KEYRING_SERVICE = "Hushwrite engine"
STORE_KEY_PREFIX = "engine.api_key:"


@dataclass
class EngineChoice:
    url: str = ""  # "" = this computer
    model: str = ""
    slots: int | None = None

    @property
    def remote(self) -> bool:
        return bool(self.url)


def from_args(args) -> EngineChoice:
    url = (getattr(args, "engine_url", None) or os.environ.get("HUSHWRITE_ENGINE_URL") or "").strip()
    model = (getattr(args, "engine_model", None) or os.environ.get("HUSHWRITE_ENGINE_MODEL") or "").strip()
    slots = getattr(args, "engine_slots", None)
    if slots is None and os.environ.get("HUSHWRITE_ENGINE_SLOTS"):
        try:
            slots = int(os.environ["HUSHWRITE_ENGINE_SLOTS"])
        except ValueError:
            raise InputError("HUSHWRITE_ENGINE_SLOTS must be a whole number") from None
    if slots is not None and slots < 1:
        raise InputError("the number of engine slots must be 1 or more")
    return EngineChoice(url, model, slots)


def origin_of(url: str) -> str:
    parts = address.parse(url, resolve=lambda host, port: ["127.0.0.1"])  # no lookup: only the name matters
    return parts.origin


def _keyring():
    try:
        import keyring

        return keyring
    except Exception:
        return None


def load_api_key(url: str, store=None) -> str | None:
    """The key for the server at `url`: HUSHWRITE_ENGINE_KEY, the keyring, then the store."""
    env = os.environ.get("HUSHWRITE_ENGINE_KEY")
    if env:
        return env.strip()
    origin = origin_of(url)
    kr = _keyring()
    if kr is not None:
        try:
            key = kr.get_password(KEYRING_SERVICE, origin)
        except Exception:
            key = None
        if key:
            return key
    if store is not None:
        try:
            key = store.get_setting(STORE_KEY_PREFIX + origin)
        except Exception:
            key = None
        if key:
            return str(key)
    return None


def save_api_key(url: str, key: str, store=None) -> str:
    """Keep `key` in the keyring, else in the encrypted store; return where it went. An empty
    key deletes it from both."""
    origin = origin_of(url)
    kr = _keyring()
    if not key:
        if kr is not None:
            try:
                kr.delete_password(KEYRING_SERVICE, origin)
            except Exception:
                pass
        if store is not None:
            store.delete_setting(STORE_KEY_PREFIX + origin)
        return "deleted"
    if kr is not None:
        try:
            kr.set_password(KEYRING_SERVICE, origin, key)
            return "keyring"
        except Exception:
            pass
    if store is not None:
        store.set_setting(STORE_KEY_PREFIX + origin, key)
        return "store"
    raise InputError("no system keyring and no personal store to keep the API key in; "
                     "set HUSHWRITE_ENGINE_KEY for this session instead")


def open_engine(url: str, model: str = "", slots: int | None = None, store=None):
    """Connect to the user's server with its saved key: the one call the app's engine worker
    needs (`if settings.engine_url: model = open_engine(...)`, else the local runtime)."""
    from .probe import connect

    return connect(url, load_api_key(url, store), model or None, slots or None)
