"""Errors of the encrypted store. Each says what happened, that nothing was lost, and what to do.

All of them are HushwriteError subclasses with exit code 2, so the CLI prints
`hushwrite: <message>` and exits 2 without a traceback. The subclasses let the
window react (for example, offer "Move aside" on CorruptStore).
"""

from __future__ import annotations

from engine.errors import HushwriteError


class StoreError(HushwriteError):
    """The encrypted store cannot be opened or written."""

    exit_code = 2


class NoPassphrase(StoreError):
    """A passphrase is needed, but none was supplied and nobody can be asked."""


class WrongPassphrase(StoreError):
    """The passphrase (or export-file passphrase) does not unlock the file."""


class KeyMissing(StoreError):
    """The store's key should be in the OS keyring but is not there (or the keyring is unavailable)."""


class NotAStore(StoreError):
    """The file at the store path is not a Hushwrite store."""


class CorruptStore(StoreError):
    """The key is right but the file is damaged; it can be moved aside, never silently deleted."""


class StoreBusy(StoreError):
    """Another Hushwrite process has the store open and this action needs it alone."""


class StoreTooNew(StoreError):
    """The store was written by a newer Hushwrite whose schema this one does not know."""
