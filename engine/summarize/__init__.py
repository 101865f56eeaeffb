"""Offline document summarizing: short texts in one prompt, book-length ones by map-reduce,
with progress, cancellation and resume (see docs/summarize.md)."""

from __future__ import annotations

from .cache import MemoryCache, StoreCache, as_cache, cache_key
from .core import KINDS, SummaryResult, summarize
from .progress import Progress, ProgressBar


def summarize_source(args, load_for, open_store_for) -> int:
    """The `hushwrite summarize` handler (engine/cli.py calls it)."""
    from .command import run

    return run(args, load_for, open_store_for)


__all__ = ["summarize", "summarize_source", "SummaryResult", "Progress", "ProgressBar", "KINDS",
           "MemoryCache", "StoreCache", "as_cache", "cache_key"]
