"""The tray popup with and without prefill: from the user's choice to the first previewed text.

    python benchmarks/tray_prefill.py [--runs 5] [--tool friendly] [--words 120]

The real QuickFlow (offscreen Qt) on the real engine process and default model: per run the popup
opens on a ~120-word selection (the first whole sentences of a WikiLingua document from
../shared/eval/summ-dev, a different one per run, used once with and once without prefill, in
alternating order), the tool is chosen 1.0 s later (the popup waits for a choice:
TraySettings.start_last_tool off), and the run ends with the result and Esc. Between runs an
unrelated request replaces the prompt cache. Reported, medians:
  choice → first previewed token (the first greyed, unchecked draft in the popup)
  choice → first checked text    (the first sentence decided: its candidates written and checked)
  choice → engine's first token  (job start + the first parallel group's prompt time)
  prompt tokens reused, prompt seconds
and the cold figure (the first run after the model loads, each way: a fresh engine per way), what a
prefill costs when nothing is picked (engine process CPU seconds, KV cells and bytes), the CPU and
the load average around each run (the machine is shared).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HUSHWRITE_NO_BACKGROUND_CALIBRATION", "1")  # the cached calibration still applies

EVAL = ROOT.parent / "shared" / "eval" / "summ-dev" / "wikilingua_en.jsonl"
FLUSH = [{"role": "user", "content": "Say OK."}]


def selections(n: int, words: int) -> list[str]:
    from engine.textsplit import split_sentences

    out = []
    for line in EVAL.read_text(encoding="utf-8").splitlines():
        doc = " ".join(json.loads(line)["document"].split())
        picked, count = [], 0
        for s, e in split_sentences(doc):
            picked.append(doc[s:e])
            count += len(doc[s:e].split())
            if count >= words:
                break
        if words <= count <= words * 1.25:
            out.append(" ".join(picked))
        if len(out) == n:
            return out
    raise SystemExit(f"not enough {words}-word selections in {EVAL}")


def wait(app, predicate, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        if predicate():
            return True
        time.sleep(0.002)
    return False


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Bench:
    def __init__(self, app, tool: str):
        from app.context import AppContext
        from app.settings import Settings

        self.app, self.tool = app, tool
        self.ctx = AppContext(argparse.Namespace(no_store=True, model=None), Settings(n_ctx=4096))
        self.ctx.start()
        self._loaded()

    def _loaded(self) -> None:
        if not wait(self.app, lambda: self.ctx.engine.state in ("ready", "error"), 120) or not self.ctx.engine.ready:
            raise SystemExit(f"the model did not load: {self.ctx.engine.detail}")
        from app.settings import TraySettings
        from app.tray.quick_flow import QuickFlow

        # last_tool = the tool chosen: nothing is written to the user's tray.json
        self.flow = QuickFlow(self.ctx, TraySettings(start_last_tool=False, last_tool=self.tool))

    def reload(self) -> None:
        self.ctx.engine.load(None, self.ctx.settings.load_options())
        wait(self.app, lambda: self.ctx.engine.state == "loading", 5)
        self._loaded()

    @property
    def model(self):
        return self.ctx.engine._worker.model

    def run(self, text: str, prefill: bool, flush: bool = True) -> dict:
        from app.tray.selection import Capture

        os.environ.pop("HUSHWRITE_NO_PREFILL", None)
        if not prefill:
            os.environ["HUSHWRITE_NO_PREFILL"] = "1"
        if flush:
            "".join(self.model.stream(FLUSH, max_tokens=2))  # the prompt cache holds something else
        load = os.getloadavg()[0]
        flow, got = self.flow, {}
        t_open = time.perf_counter()
        flow._on_captured(Capture(text=text, source="clipboard"))
        wait(self.app, lambda: False, 1.0)
        status = self.model.prefill_status() if prefill else {}
        t_choice = time.perf_counter()
        flow.popup.choose(self.tool)
        job = flow._job
        job.started.connect(lambda: got.setdefault("started", time.perf_counter()))
        job.text_streamed.connect(lambda _t: got.setdefault("checked", time.perf_counter()))
        job.draft_streamed.connect(lambda _c, d: d and got.setdefault("preview", time.perf_counter()))
        job.finished.connect(lambda r: got.setdefault("result", (time.perf_counter(), r)))
        job.failed.connect(lambda m: got.setdefault("failed", m))
        job.cancelled.connect(lambda: got.setdefault("failed", "cancelled"))
        wait(self.app, lambda: "result" in got or "failed" in got, 600)
        if "failed" in got or "result" not in got:
            raise SystemExit(f"the tool did not finish: {got.get('failed', 'no result in 600 s')}")
        t_end, result = got["result"]
        s = result.stats
        flow._cancel()
        print(f"run: prefill={prefill} {t_end - t_choice:.1f} s", file=sys.stderr, flush=True)
        return {"prefill": prefill, "load": round(load, 2), "open_to_choice": round(t_choice - t_open, 3),
                "prefilled_at_choice": status.get("decoded_tokens", 0) + status.get("copied_tokens", 0),
                "planned": status.get("accepted_tokens", 0),
                "preview": round(got.get("preview", t_end) - t_choice, 3),
                "checked": round(got.get("checked", t_end) - t_choice, 3),
                "first_token": round(got["started"] - t_choice + s.first_token_seconds, 3),
                "result": round(t_end - t_choice, 3), "prompt_tokens": s.prompt_tokens, "cached_tokens": s.cached_tokens,
                "prompt_seconds": round(s.prompt_seconds, 3), "load_after": round(os.getloadavg()[0], 2)}

    def idle_cost(self, text: str) -> dict:
        """A popup opened on `text` and left without a choice until its prefill is done."""
        from app.tray.selection import Capture

        os.environ.pop("HUSHWRITE_NO_PREFILL", None)
        "".join(self.model.stream(FLUSH, max_tokens=2))
        pid = self.ctx.engine.engine_pid
        wait(self.app, lambda: False, 0.5)
        c0, t0 = cpu_seconds(pid), time.perf_counter()
        self.flow._on_captured(Capture(text=text, source="clipboard"))
        wait(self.app, lambda: self.model.prefill_status()["state"] == "done", 300)
        c1, t1 = cpu_seconds(pid), time.perf_counter()
        st = self.model.prefill_status()
        per_token = self.model.info.kv_bytes_per_token()
        self.flow._cancel()
        return {"cpu_seconds": round(c1 - c0, 2), "wall_seconds": round(t1 - t0, 2), "prefixes": st["accepted"],
                "decoded_tokens": st["decoded_tokens"], "copied_tokens": st["copied_tokens"],
                "held_tokens": st["held_tokens"], "kv_bytes": st["held_tokens"] * per_token,
                "kv_bytes_per_token": per_token, "load": round(os.getloadavg()[0], 2)}


def median(rows: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in rows)


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--tool", default="friendly")
    p.add_argument("--words", type=int, default=120)
    args = p.parse_args()
    from app.qt import QApplication

    app = QApplication.instance() or QApplication([])
    texts = selections(args.runs + 2, args.words)
    bench = Bench(app, args.tool)
    cold = [bench.run(texts[0], True, flush=False)]
    bench.reload()
    cold.append(bench.run(texts[0], False, flush=False))
    bench.run(texts[1], False)  # warm-up
    cost = bench.idle_cost(texts[1])
    rows = []
    for i, text in enumerate(texts[2:]):
        for way in ((True, False) if i % 2 == 0 else (False, True)):
            rows.append(bench.run(text, way))
            print(json.dumps(rows[-1]), flush=True)
    bench.ctx.shutdown()
    on = [r for r in rows if r["prefill"]]
    off = [r for r in rows if not r["prefill"]]
    print(f"\nCPU: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; tool {args.tool}; "
          f"{args.runs} selections of {args.words}+ words, each with and without prefill (choice 1.0 s after the popup opens)")
    print(f"load average (1 min) during the runs: median {median(rows, 'load'):.1f} (min {min(r['load'] for r in rows):.1f}, "
          f"max {max(r['load'] for r in rows):.1f})")
    print("| medians | with prefill | without | ratio |\n|---|---:|---:|---:|")
    for key, label in (("first_token", "choice → engine's first token (s)"),
                       ("preview", "choice → first previewed token: a greyed draft (s)"),
                       ("checked", "choice → first checked text: a decided sentence (s)"),
                       ("result", "choice → result (s)"), ("prompt_seconds", "prompt processing (s)"),
                       ("cached_tokens", "prompt tokens reused"), ("prompt_tokens", "prompt tokens")):
        a, b = median(on, key), median(off, key)
        print(f"| {label} | {a:g} | {b:g} | {a / b if b else float('nan'):.2f} |")
    print(f"prefilled by the choice: median {median(on, 'prefilled_at_choice'):g} of {median(on, 'planned'):g} tokens")
    print(f"cold (first run after the model loads): with prefill first token {cold[0]['first_token']} s, preview "
          f"{cold[0]['preview']} s, checked {cold[0]['checked']} s; without {cold[1]['first_token']} s, preview "
          f"{cold[1]['preview']} s, checked {cold[1]['checked']} s "
          f"(load {cold[0]['load']} / {cold[1]['load']})")
    print(f"a popup left open with no choice: {json.dumps(cost)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
