"""`hushwrite summarize FILE --kind KIND [--json] [--sources] [--no-progress]`.

`--sources` prints, after the result, where every point comes from (line numbers, or pages) and
the passage; `--json` always carries each point's spans, lines and passage.

Ctrl+C asks the running job to stop (the model aborts within milliseconds, finished chunks are
already cached) and exits 130; a second Ctrl+C stops at once. Re-running the same command
resumes: cached chunks are not computed again.
"""

from __future__ import annotations

import json
import signal
import sys
import threading

from ..documents import Document, load_document
from ..documents.loader import MAX_FILE_BYTES, check
from ..documents.text import document_from_text
from ..documents.decoding import decode_text
from ..errors import Cancelled, InputError
from ..tasks.base import exit_status
from .cache import MemoryCache, StoreCache
from .core import summarize
from .locate import Locator, sources_block
from .progress import ProgressBar


def read_source(source: str) -> Document:
    if source != "-":
        return load_document(source)
    if sys.stdin is None or sys.stdin.isatty():
        raise InputError("no input: pass a FILE, or pipe text in (cat notes.txt | hushwrite summarize)")
    data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"standard input is larger than {MAX_FILE_BYTES // 2**20} MB; split it first")
    doc = document_from_text(decode_text(data, "standard input"), "standard input")
    doc.format = "txt"
    return check(doc, "standard input")


def cache_for(store):
    """Finished chunk summaries are personal data: they are kept in the encrypted store. Without
    one they live only as long as this run (never in a plaintext file)."""
    if store is not None and hasattr(store, "cache_get") and hasattr(store, "cache_put"):
        return StoreCache(store)
    print("hushwrite: note: no personal store, so finished parts are not kept for a resume "
          "(create the encrypted store with `hushwrite history` once)", file=sys.stderr)
    return MemoryCache()


class _CtrlC:
    """First Ctrl+C: cancel cleanly through the job's Event. Second: stop now."""

    def __init__(self, event: threading.Event) -> None:
        self.event = event
        self.previous = None

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def _handle(self, signum, frame):
        if self.event.is_set():
            raise Cancelled("cancelled")
        self.event.set()

    def __exit__(self, *exc):
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)
        return False


def run(args, load_for, open_store_for) -> int:
    doc = read_source(args.file)
    store = open_store_for(args)
    model = load_for(args)
    bar = ProgressBar() if not args.no_progress and sys.stderr.isatty() else None
    cancel = threading.Event()
    cache = cache_for(store)
    try:
        with _CtrlC(cancel):
            result = summarize(model, doc.text, args.kind, on_progress=bar, cache=cache,
                               cancel=cancel, headings=doc.sections)
    except Cancelled:
        if bar:
            bar.close()
        if not isinstance(cache, StoreCache):
            raise Cancelled("cancelled; finished parts were not kept (no personal store)") from None
        if cache.problem:
            raise Cancelled(f"cancelled; finished parts could not be kept in the store ({cache.problem})") from None
        raise Cancelled("cancelled; finished parts are saved, run the same command again to resume") from None
    if bar:
        bar.close()
    if result.cache_problem:
        print(f"hushwrite: note: finished parts could not be kept in the store ({result.cache_problem})",
              file=sys.stderr)
    from ..cli import record  # the same history record (and store close) as the other tools

    record(store, result)
    locator = Locator(doc.text, getattr(doc, "page_starts", None))
    if args.json:
        out = result.as_dict()
        out.pop("raw", None) if len(out.get("raw", "")) > 20000 else None
        out["points"] = [locator.describe(p) for p in result.points]
        out["document"] = {"title": doc.title, "format": doc.format, "path": doc.path, "words": doc.words,
                           "sections": len(doc.sections), "pages": doc.pages}
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(result.text)
        if getattr(args, "sources", False) and result.ok:
            print(sources_block(result.points, locator))
    return exit_status(result)
