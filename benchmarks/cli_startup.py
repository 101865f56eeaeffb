"""How fast a one-sentence `hushwrite rewrite` (or `proofread`) answers from the command line, and where the time goes.

1. End to end: `hushwrite rewrite FILE` as a child process whose stdout is a terminal (a pty, so
   the answer streams): the time to the first byte of the answer (the first token) and to exit.
2. Fixed costs, one process per repetition: Python + CLI imports, the llama.cpp import, model
   load, opening a passphrase store, and the first token of the rewrite itself.

Medians over --reps runs after one more: the first run in a fresh data folder builds the public
caches (spelling index, the worked examples' KV state), as the first run on a machine does, and is
reported on its own. With --store, a passphrase-protected personal store exists, so the CLI
opens it (scrypt) while the model loads in a thread.

    python benchmarks/cli_startup.py [--reps 5] [--store] [--task rewrite|proofread] [--text FILE]

With --task proofread the end-to-end figures are of `hushwrite proofread FILE` (the fixed costs
stay those of the rewrite).
"""

from __future__ import annotations

import argparse
import os
import pty
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SENTENCE = "Their going to the store tomorow to buy some milk and bread for the week.\n"
PASSPHRASE = "correct horse battery staple"

PHASES = r"""
import os, sys, time, json
t0 = time.perf_counter()
import hushwrite.cli
t1 = time.perf_counter()
from engine.runtime import LoadOptions, load_model
t2 = time.perf_counter()
from engine.tasks.rewrite import rewrite
model = load_model(None, LoadOptions())
t3 = time.perf_counter()
store_s = 0.0
if os.environ.get("BENCH_STORE"):
    from engine.store import Store
    r, w = os.pipe(); os.write(w, os.environ["BENCH_STORE"].encode() + b"\n"); os.close(w)
    s0 = time.perf_counter(); Store.open_if_exists(passphrase_fd=r).close(); store_s = time.perf_counter() - s0
first = []
t4 = time.perf_counter()
rewrite(model, sys.argv[1], tone="rewrite", on_text=lambda raw: first.append(time.perf_counter()) if not first else None)
print(json.dumps({"cli_import": t1 - t0, "llama_import": t2 - t1, "model_load": t3 - t2, "store_open": store_s,
                  "first_token": first[0] - t4 if first else float("nan")}))
"""


def end_to_end(env: dict, text_file: Path, extra: list[str], fd: int | None = None,
               task: str = "rewrite") -> tuple[float, float]:
    """(seconds to the first byte of the answer, seconds to exit) of one CLI run."""
    master, slave = pty.openpty()
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "hushwrite", *extra, task, str(text_file)],
                            stdout=slave, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=env, cwd=ROOT,
                            pass_fds=(fd,) if fd is not None else ())
    os.close(slave)
    if fd is not None:
        os.close(fd)
    first = None
    while True:
        ready, _, _ = select.select([master], [], [], 0.01)
        if ready:
            try:
                data = os.read(master, 4096)
            except OSError:
                break
            if not data:
                break
            if first is None and data.strip():
                first = time.perf_counter() - t0
        elif proc.poll() is not None:
            break
    proc.wait()
    os.close(master)
    return first if first is not None else float("nan"), time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--store", action="store_true", help="measure with a passphrase store to open")
    ap.add_argument("--task", choices=("rewrite", "proofread"), default="rewrite")
    ap.add_argument("--text", type=Path, help="a text file to use instead of the one sentence (end-to-end figures)")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, HUSHWRITE_DATA_DIR=tmp, PYTHONPATH=str(ROOT))
        text_file = Path(tmp) / "sentence.txt"
        text_file.write_text(a.text.read_text(encoding="utf-8") if a.text else SENTENCE, encoding="utf-8")
        extra: list[str] = []
        if a.store:
            subprocess.run([sys.executable, "-c", "import os,sys; from engine.store import Store; "
                            f"Store.open(passphrase={PASSPHRASE!r}).close()"], env=env, cwd=ROOT, check=True)
            env["BENCH_STORE"] = PASSPHRASE
        firsts, totals, phases = [], [], []
        import json

        # The first run on a machine builds the public caches (the spelling index, the worked
        # examples' KV state: engine.paths.cache_dir); it is reported on its own, not in the medians.
        cold = None
        for rep in range(a.reps + 1):
            if a.store:  # a fresh pipe per run carries the passphrase
                r, w = os.pipe()
                os.write(w, (PASSPHRASE + "\n").encode())
                os.close(w)
                f, t = end_to_end(env, text_file, ["--passphrase-fd", str(r)], r, a.task)
            else:
                f, t = end_to_end(env, text_file, extra, task=a.task)
            if rep == 0:
                cold = (f, t)
                continue
            firsts.append(f)
            totals.append(t)
            out = subprocess.run([sys.executable, "-c", PHASES, SENTENCE.strip()], env=env, cwd=ROOT,
                                 capture_output=True, text=True, check=True)
            phases.append(json.loads(out.stdout.strip().splitlines()[-1]))
    med = statistics.median
    what = f"`hushwrite {a.task}` of {a.text.name} ({len(a.text.read_text(encoding='utf-8').split())} words)" if a.text \
        else f"one-sentence `hushwrite {a.task}`"
    print(f"{what} ({'with' if a.store else 'without'} a personal store), medians of {a.reps}:")
    print(f"  first token (end to end, from process start)  {med(firsts):6.2f} s")
    print(f"  exit                                           {med(totals):6.2f} s")
    print(f"  the first run on this machine (caches built)   {cold[0]:6.2f} s to the first token, {cold[1]:.2f} s to exit")
    print("fixed costs, in-process:")
    for key in ("cli_import", "llama_import", "model_load", "store_open", "first_token"):
        print(f"  {key:14} {med(p[key] for p in phases):6.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
