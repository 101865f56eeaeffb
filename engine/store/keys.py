"""Where the store key comes from: the OS keyring, or a passphrase stretched with scrypt.

Two key sources, chosen when the store is created and recorded in its metadata file:

* ``keyring``: 256 random bits made once, kept hex-encoded in the OS keyring
  (service ``hushwrite``, one entry per store). Used when ``keyring`` has a
  secure backend (Secret Service, macOS Keychain, Windows Credential Manager).
* ``passphrase``: used when the keyring has no secure backend (keyring's fail,
  null or plaintext-file backends, as on a headless Linux box), when
  HUSHWRITE_KEYRING=off, or when a passphrase was supplied as the store was
  first made (portable installs). The key is scrypt(passphrase, salt), a
  memory-hard KDF (128 MiB, ~0.5 s by default).

The per-store salt is the first 16 bytes of the SQLCipher file itself: SQLCipher
always keeps a random salt in plain text at the start of the file, and we hand it
our own salt when the file is made (raw key syntax ``x'<key><salt>'``). So the
database file alone plus the passphrase is enough to open it (an export file too),
and there is no second copy of the salt to lose or get out of step.

The key is only ever held in memory; it is never written to disk, logged or shown.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import os
import secrets
import sys
import unicodedata
from dataclasses import asdict, dataclass

import keyring
import keyring.errors

from engine.store.errors import KeyMissing, NoPassphrase, StoreError

SERVICE = "hushwrite"
PASSPHRASE_ENV = "HUSHWRITE_PASSPHRASE"
KEYRING_ENV = "HUSHWRITE_KEYRING"  # "off" forces passphrase mode for new stores
KEY_BYTES = 32
SALT_BYTES = 16
MIN_NEW_PASSPHRASE = 8
_KEY_CHECK_LABEL = b"hushwrite-store-key-check-v1"


@dataclass(frozen=True)
class Scrypt:
    """scrypt cost parameters; the defaults take 128 MiB of memory and ~0.5 s per unlock."""

    n: int = 2**17
    r: int = 8
    p: int = 1

    def derive(self, passphrase: str, salt: bytes) -> bytes:
        secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
        maxmem = 2 * 128 * self.n * self.r * self.p + (1 << 20)
        return hashlib.scrypt(secret, salt=salt, n=self.n, r=self.r, p=self.p, maxmem=maxmem, dklen=KEY_BYTES)

    def to_json(self) -> dict:
        return {"name": "scrypt", **asdict(self)}

    @classmethod
    def from_json(cls, data: dict) -> "Scrypt":
        """Parameters read from a metadata file; bounded so a tampered file cannot make us eat all memory."""
        try:
            n, r, p = int(data["n"]), int(data["r"]), int(data["p"])
        except (KeyError, TypeError, ValueError) as exc:
            raise StoreError("The store's key settings are unreadable (metadata file damaged).") from exc
        if data.get("name") != "scrypt" or n < 2 or n & (n - 1) or n > 2**22 or not 1 <= r <= 32 or not 1 <= p <= 16:
            raise StoreError("The store's key settings are not ones Hushwrite uses (metadata file damaged).")
        return cls(n=n, r=r, p=p)


DEFAULT_KDF = Scrypt()
EXPORT_KDF = Scrypt()  # export files carry no metadata, so their cost is fixed by the format


def new_random_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def new_salt() -> bytes:
    return secrets.token_bytes(SALT_BYTES)


def key_check(key: bytes) -> str:
    """A tag that tells "wrong key" from "damaged file" without revealing the key.

    Testing a guess against it costs the same scrypt run as testing it against the
    database itself, so it gives an attacker nothing new.
    """
    return hmac.new(key, _KEY_CHECK_LABEL, hashlib.sha256).hexdigest()[:32]


def key_matches(key: bytes, check: str | None) -> bool:
    return bool(check) and hmac.compare_digest(key_check(key), check)


def sqlcipher_key(key: bytes, salt: bytes | None = None) -> str:
    """SQLCipher raw-key literal: no PBKDF2 inside SQLCipher (we already stretched it), salt optional."""
    return f"x'{key.hex()}{salt.hex() if salt else ''}'"


# --- keyring -----------------------------------------------------------------


def keyring_disabled() -> bool:
    return os.environ.get(KEYRING_ENV, "").strip().lower() in {"0", "off", "no", "false", "never"}


def backend_is_secure(backend=None) -> bool:
    """True when keyring would keep secrets in a real OS secret store, not a file or nowhere."""
    backend = backend if backend is not None else keyring.get_keyring()
    children = getattr(backend, "backends", None)
    if children is not None:  # the chainer backend: secure if any backend it chains is
        return any(backend_is_secure(child) for child in children)
    module = type(backend).__module__
    if module.startswith(("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")):
        return False  # fail/null keep nothing; keyrings.alt keeps secrets in files next to the data
    if "plaintext" in type(backend).__name__.lower():
        return False
    try:
        return float(backend.priority) > 0
    except Exception:  # a backend that cannot even say its priority is not usable
        return False


def keyring_usable() -> bool:
    return not keyring_disabled() and backend_is_secure()


def keyring_account(store_id: str) -> str:
    return f"store-key-{store_id}"


def keyring_read(account: str) -> bytes | None:
    try:
        value = keyring.get_password(SERVICE, account)
    except keyring.errors.KeyringError as exc:
        raise KeyMissing(f"The system keyring could not be read ({exc}). Unlock your keyring and try again; the store is untouched.") from exc
    if value is None:
        return None
    try:
        key = bytes.fromhex(value)
    except ValueError:
        return None
    return key if len(key) == KEY_BYTES else None


def keyring_write(account: str, key: bytes) -> None:
    try:
        keyring.set_password(SERVICE, account, key.hex())
        stored = keyring.get_password(SERVICE, account)
    except keyring.errors.KeyringError as exc:
        raise KeyMissing(
            f"The system keyring refused to store the key ({exc}). Unlock it, or set {KEYRING_ENV}=off "
            f"and use a passphrase ({PASSPHRASE_ENV})."
        ) from exc
    if stored != key.hex():
        raise KeyMissing("The system keyring did not keep the key it was given; not using it.")


def keyring_delete(account: str) -> bool:
    try:
        keyring.delete_password(SERVICE, account)
        return True
    except keyring.errors.PasswordDeleteError:
        return False
    except keyring.errors.KeyringError:
        return False


# --- passphrases ---------------------------------------------------------------

_fd_cache: dict[int, str] = {}


def read_passphrase_fd(fd: int) -> str:
    """First line from file descriptor `fd` (newline stripped). Read once per process, then remembered."""
    if fd in _fd_cache:
        return _fd_cache[fd]
    data = bytearray()
    try:
        while True:
            chunk = os.read(fd, 1)  # byte by byte: never read past the line, never wait for EOF
            if not chunk or chunk == b"\n":
                break
            data += chunk
    except OSError as exc:
        raise NoPassphrase(f"Cannot read the passphrase from file descriptor {fd}: {exc.strerror}.") from exc
    text = data.decode("utf-8", errors="strict").removesuffix("\r")
    if not text:
        raise NoPassphrase(f"File descriptor {fd} gave an empty passphrase.")
    _fd_cache[fd] = text
    return text


def stdin_is_interactive() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):
        return False


def supplied_passphrase(explicit: str | None = None, fd: int | None = None, env: str = PASSPHRASE_ENV) -> str | None:
    """A passphrase given without asking: argument, then file descriptor, then environment."""
    if explicit:
        return explicit
    if fd is not None:
        return read_passphrase_fd(fd)
    return os.environ.get(env) or None


def ask_passphrase(prompt: str, *, new: bool, interactive: bool | None, how_to_supply: str) -> str:
    """Prompt on the terminal (twice for a new one); fail at once, never wait, when nobody can answer."""
    if interactive is None:
        interactive = stdin_is_interactive()
    if not interactive:
        raise NoPassphrase(f"{prompt.strip().rstrip(':')} needed, but this run is not interactive "
                           f"(no terminal to ask on). {how_to_supply}")
    first = getpass.getpass(prompt)
    if new:
        check_new_passphrase(first)
        if getpass.getpass("Repeat it: ") != first:
            raise NoPassphrase("The two passphrases differ; nothing was changed.")
    return first


def check_new_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_NEW_PASSPHRASE:
        raise StoreError(f"A new passphrase needs at least {MIN_NEW_PASSPHRASE} characters.")


HOW_TO_SUPPLY = f"Set {PASSPHRASE_ENV}, pass --passphrase-fd N, or run it in a terminal to be asked."
