"""Book summary on this computer vs through a llama-server (1 slot, then 4 slots).

    PYTHONPATH=. nice -n 5 python benchmarks/remote_engine.py [--words 20000] [--threads 1] [--json out.json]

The text is the first N words of ../shared/eval/long/moby-dick.txt. Modes:
  local      the embedded runtime (the summarizer's default, sequential map step)
  server-1   llama-server on 127.0.0.1 with -np 1 (one request at a time)
  server-4   llama-server with -np 4; the map step sends 4 chunks at once (the summarizer's
             default with a server: as many requests in flight as it has slots)
All use the default model, greedy decoding, 4096 tokens of context per sequence and the same
threads; the server is the one packaging/llama_server builds (same llama.cpp as the embedded
runtime). For each mode: wall time, seconds per 1,000 words, prompt and output tokens, tokens/s
over the wall time, the most requests the summarizer had in flight, and for the server the most
slots the server itself reported busy at once (polled from /slots every 50 ms). The machine's
load average is printed before and after each mode (a shared machine: read the figures with it).
On one 2-core machine the server cannot be faster: the figures show the HTTP overhead and that
the slots are used.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "engine" / "remote"))
from engine.calibrate import cpu_name  # noqa: E402
DEFAULT_FILE = ROOT.parent / "shared" / "eval" / "long" / "moby-dick.txt"


def first_words(text: str, n: int) -> str:
    m = None
    for i, m in enumerate(re.finditer(r"\S+", text), 1):
        if i == n:
            break
    return text[: m.end()] if m else text


class SlotWatch:
    """The most slots a llama-server reports busy at once while the block runs."""

    def __init__(self, port: int):
        self.port, self.most, self._stop = port, 0, threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                c.request("GET", "/slots")
                busy = sum(1 for s in json.loads(c.getresponse().read()) if s.get("is_processing"))
                c.close()
                self.most = max(self.most, busy)
            except (OSError, ValueError, http.client.HTTPException):
                pass
            time.sleep(0.05)

    def __enter__(self):
        self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def run(model, text: str) -> dict:
    from engine.summarize import summarize

    words = len(text.split())
    before = load()
    t0 = time.perf_counter()
    r = summarize(model, text, "summary")  # the default: one by one here, a server's slots all used
    wall = time.perf_counter() - t0
    return {
        "seconds": round(wall, 1),
        "seconds_per_1000_words": round(wall / words * 1000, 2),
        "load_before": before,
        "load_after": load(),
        "prompt_tokens": r.stats.prompt_tokens,
        "output_tokens": r.stats.output_tokens,
        "output_tokens_per_second": round(r.stats.output_tokens / wall, 2),
        "all_tokens_per_second": round((r.stats.prompt_tokens + r.stats.output_tokens) / wall, 1),
        "chunks": r.chunks,
        "model_calls": r.computed,
        "parallel": r.parallel,
        "most_requests_in_flight": r.in_flight,
        "fallbacks": r.fallbacks,
        "ok": r.ok,
        "summary_words": len(r.text.split()),
        "summary_start": r.text[:160],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--file", type=Path, default=DEFAULT_FILE)
    ap.add_argument("--words", type=int, default=20000)
    ap.add_argument("--threads", type=int, default=1,
                    help="threads for the embedded model and the server alike (1: on 2 busy shared cores two "
                         "threads wait for each other)")
    ap.add_argument("--modes", default="local,server-1,server-4")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()

    from engine.model_files import find_default_model
    from engine.remote import connect
    from engine.runtime import LoadOptions, load_model
    from remote_server import LlamaServer

    text = first_words(args.file.read_text(encoding="utf-8"), args.words)
    model_path = find_default_model()
    out = {"cpu": cpu_name(), "cores": os.cpu_count(), "nice": os.nice(0), "words": len(text.split()),
           "threads": args.threads, "model": model_path.name, "load_at_start": load(), "modes": {}}
    for mode in args.modes.split(","):
        print(f"[remote_engine] {mode} ...", file=sys.stderr, flush=True)
        if mode == "local":
            m = load_model(model_path, LoadOptions(n_ctx=4096, n_threads=args.threads))
            try:
                out["modes"][mode] = run(m, text)
            finally:
                m.close()
            print(f"[remote_engine] {mode}: {json.dumps(out['modes'][mode])}", file=sys.stderr, flush=True)
            continue
        slots = int(mode.split("-", 1)[1])
        with LlamaServer(model_path, slots=slots, threads=args.threads) as srv:
            m = connect(srv.url)
            with SlotWatch(srv.port) as watch:
                res = run(m, text)
            res["most_requests_decoding_at_once"] = watch.most
            res["server_slots"] = m.slots
            out["modes"][mode] = res
        print(f"[remote_engine] {mode}: {json.dumps(out['modes'][mode])}", file=sys.stderr, flush=True)
    base = out["modes"].get("local", {}).get("seconds")
    for mode, res in out["modes"].items():
        if base and mode != "local":
            res["time_vs_local"] = round(res["seconds"] / base, 2)
    text_out = json.dumps(out, indent=2)
    print(text_out)
    if args.json:
        args.json.write_text(text_out + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
