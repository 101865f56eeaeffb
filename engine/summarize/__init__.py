"""Offline document summarizing: short texts in one prompt, book-length ones by map-reduce,
with progress, cancellation and resume (see docs/summarize.md)."""

from __future__ import annotations

from .cache import MemoryCache, StoreCache, as_cache, cache_key
from .core import KINDS, SummaryResult, summarize
from .progress import Progress, ProgressBar

__all__ = ["summarize", "SummaryResult", "Progress", "ProgressBar", "KINDS",
           "MemoryCache", "StoreCache", "as_cache", "cache_key"]
