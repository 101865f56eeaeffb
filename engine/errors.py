"""One family of errors a person can read; each carries the CLI exit code it maps to."""

from __future__ import annotations


class HushwriteError(Exception):
    """Base of every error meant for the user: its message is shown as-is, no traceback."""

    exit_code = 1


class InputError(HushwriteError):
    """Bad usage or unreadable input (exit code 2)."""

    exit_code = 2


class ModelError(HushwriteError):
    """The model file cannot be used: missing, not GGUF, truncated, unsupported, too big (exit code 3)."""

    exit_code = 3


class Cancelled(HushwriteError):
    """The user stopped the job."""

    exit_code = 130


class UnusableOutput(HushwriteError):
    """The model produced nothing we are willing to return (a refusal, a loop, chatter)."""

    exit_code = 4
