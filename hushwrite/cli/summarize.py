"""Summarizing on the command line: `hushwrite summarize FILE --kind KIND [--json] [--sources]
[--no-progress]`, and `hushwrite run TOOL` for a summarizing tool (the user's own too).

`--sources` prints, after the result, where every point comes from (line numbers, or pages) and
the passage; `--json` always carries each point's spans, lines and passage.

Ctrl+C asks the running job to stop (the model aborts within milliseconds, finished chunks are
already cached) and exits 130; a second Ctrl+C stops at once. Re-running the same command
resumes: cached chunks are not computed again.
"""

from __future__ import annotations

import json
import sys
import threading

from engine.errors import Cancelled
from engine.tasks.base import exit_status

from .inputs import read_document
from .interrupt import CtrlC
from .loading import UNOPENED, ModelLoader, open_store_for, record


def cache_for(store):
    """Finished chunk summaries are personal data: they are kept in the encrypted store. Without
    one they live only as long as this run (never in a plaintext file)."""
    from engine.summarize.cache import MemoryCache, StoreCache

    if store is not None and hasattr(store, "cache_get") and hasattr(store, "cache_put"):
        return StoreCache(store)
    print("hushwrite: note: no personal store, so finished parts are not kept for a resume "
          "(create the encrypted store with `hushwrite history` once)", file=sys.stderr)
    return MemoryCache()


def summarize_command(args, reg, tool, store) -> int:
    from engine.summarize.cache import StoreCache
    from engine.summarize.locate import Locator, sources_block
    from engine.summarize.progress import ProgressBar
    from engine.tools import Hooks

    doc = read_document(args.file)
    loader = ModelLoader(args)  # the model loads while the store opens
    if store is UNOPENED:  # (the `run` command opens it first, to find the user's own tools)
        store = open_store_for(args)
    model = loader()
    bar = ProgressBar() if not args.no_progress and sys.stderr.isatty() else None
    cancel = threading.Event()
    cache = cache_for(store)
    try:
        with CtrlC(cancel):
            result = reg.run(model, tool, doc.text, {"headings": doc.sections, "cache": cache},
                             Hooks(on_progress=bar, cancel=cancel))
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
