"""What running the model in its own process costs, measured side by side in one run.

1. Prompt and decode tokens/s of the same requests through the engine process (engine.process)
   and in this process (engine.runtime), alternating, medians over --reps; the ratio (target
   >= 0.97).
2. App start -> first token: a real app process (offscreen) is started, the first request is
   submitted as soon as the window is shown, and the time of its first streamed token is taken
   from the process's own start; medians over --app-reps.

    python benchmarks/engine_process.py [--reps 7] [--app-reps 3] [--threads 2]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.model import GenerationStats  # noqa: E402
from engine.runtime import LoadOptions  # noqa: E402

WORDS = ("river stone lantern orchard harbor meadow copper violet station garden willow ember summit "
         "canyon thistle marble falcon glacier prairie cobalt").split()

APP_DRIVER = r"""
import json, os, sys, time
t_start = float(os.environ["BENCH_T0"])
from app.context import AppContext
from app.main_window import MainWindow
from app.qt import QApplication
from app.settings import Settings
import argparse
app = QApplication(sys.argv[:1])
ctx = AppContext(argparse.Namespace(no_store=True, model=None), Settings(threads=int(os.environ["BENCH_THREADS"])))
w = MainWindow(ctx)
state = {}
def shown():
    state["shown"] = time.time() - t_start
    w.editor.set_text("Could you send me the report by Friday? The numbers from March are not final yet.")
    w.run_tool("rewrite", "professional")
    w.job.text_streamed.connect(first)  # a sentence-level rewrite may stream only at its end:
    w.job.finished.connect(first)       # then the finished result is its first text
    w.job.failed.connect(lambda message: (print(json.dumps({"failed": message}), flush=True), os._exit(1)))
def first(_text):
    if "first" not in state:
        state["first"] = time.time() - t_start
        print(json.dumps(state), flush=True)
        os._exit(0)
w.shown.connect(shown)
w.show()
ctx.start()
app.exec()
"""


def prompt_for(model, rep: int) -> list[int]:
    """A ~512-token prompt that shares nothing with the previous one (no prefix-cache help)."""
    words = [WORDS[(rep * 7 + i * 3) % len(WORDS)] for i in range(380)]
    text = f"Run {rep}. " + " ".join(words)
    return model.prompt_tokens([{"role": "user", "content": "Summarize: " + text}])


def run(model, prompt: list[int], n_out: int) -> GenerationStats:
    stats = GenerationStats()
    for _ in model.stream_tokens(prompt, n_out, stats=stats):
        pass
    return stats


def tokens_per_second(reps: int, threads: int, n_out: int) -> dict:
    from engine.process import open_model
    from engine.runtime import load_model

    opts = LoadOptions(n_ctx=2048, n_threads=threads, n_seq_max=1)
    local = load_model(None, opts)
    remote = open_model(None, opts)
    rows = {"process": [], "in_process": []}
    try:
        for model in (local, remote):  # warm-up
            run(model, prompt_for(model, 999), 8)
        for rep in range(reps):
            for name, model in (("in_process", local), ("process", remote)) if rep % 2 else \
                    (("process", remote), ("in_process", local)):
                s = run(model, prompt_for(model, rep), n_out)
                rows[name].append((s.prompt_tps, s.decode_tps, s.output_tokens))
    finally:
        local.close()
        remote.close()
    out = {}
    for name, values in rows.items():
        out[name] = {"prompt_tps": statistics.median(v[0] for v in values),
                     "decode_tps": statistics.median(v[1] for v in values),
                     "output_tokens": statistics.median(v[2] for v in values)}
    out["ratio_prompt"] = out["process"]["prompt_tps"] / out["in_process"]["prompt_tps"]
    out["ratio_decode"] = out["process"]["decode_tps"] / out["in_process"]["decode_tps"]
    return out


def app_first_token(reps: int, threads: int) -> dict:
    shown, first = [], []
    for _ in range(reps):
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", BENCH_T0=repr(time.time()),
                   BENCH_THREADS=str(threads), PYTHONPATH=str(ROOT), HUSHWRITE_DATA_DIR=str(ROOT / ".bench-data"))
        env["BENCH_T0"] = repr(time.time())
        p = subprocess.run([sys.executable, "-c", APP_DRIVER], capture_output=True, text=True, env=env, timeout=300)
        line = next((ln for ln in p.stdout.splitlines() if ln.startswith('{"shown')), None)
        if line is None:
            raise SystemExit(f"the app run failed: {p.stderr[-2000:]}")
        got = json.loads(line)
        shown.append(got["shown"])
        first.append(got["first"])
    return {"window_shown_s": statistics.median(shown), "first_token_s": statistics.median(first), "runs": reps}


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--app-reps", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--tokens", type=int, default=128)
    args = ap.parse_args()
    print(f"CPU: {cpu_name()}, {os.cpu_count()} logical CPUs, load average {os.getloadavg()[0]:.1f}")
    speed = tokens_per_second(args.reps, args.threads, args.tokens)
    print(f"{'':24}{'engine process':>16}{'in-process':>12}{'ratio':>8}")
    for key, label in (("prompt_tps", "prompt tokens/s"), ("decode_tps", "decode tokens/s")):
        ratio = speed["ratio_prompt" if key == "prompt_tps" else "ratio_decode"]
        print(f"{label:24}{speed['process'][key]:16.1f}{speed['in_process'][key]:12.1f}{ratio:8.2f}")
    app = app_first_token(args.app_reps, args.threads) if args.app_reps else {}
    if app:
        print(f"app start -> window shown {app['window_shown_s']:.2f} s, -> first text of the first request "
              f"{app['first_token_s']:.2f} s (medians of {app['runs']})")
    print(json.dumps({"speed": speed, "app": app}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
