"""`hushwrite doctor`: this machine, the llama.cpp build, and the measured fastest settings."""

from __future__ import annotations

import json
import sys
import time

from engine.errors import HushwriteError


def register(sub, add_model_options, func) -> None:
    d = sub.add_parser("doctor", help="show the machine, the llama.cpp build and the measured fastest settings")
    d.add_argument("--remeasure", action="store_true", help="measure again even if a calibration is cached")
    d.add_argument("--budget", type=float, default=6.0, metavar="SECONDS",
                   help="time the calibration aims for (default 6; it gives up past 3x that on a busy machine)")
    d.add_argument("--json", action="store_true", help="print the report as JSON")
    add_model_options(d)
    d.set_defaults(func=func)


def run(args, load_for) -> int:
    model = load_for(args)
    try:
        report = model.calibration_report()
        if args.remeasure or report.get("measured") is None:
            if not args.json:
                print(f"hushwrite: measuring this machine's fastest settings (about {args.budget:.0f} s)...", file=sys.stderr)
            try:
                report = model.calibrate(budget_seconds=args.budget)
            except HushwriteError as exc:
                report = model.calibration_report()
                report["error"] = str(exc)
                _print(report, args.json)
                print(f"hushwrite: {exc}", file=sys.stderr)
                return exc.exit_code
        _print(report, args.json)
        return 0
    finally:
        model.close()


def _print(report: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(report, indent=2))
        return
    print("\n".join(format_report(report)))


def _onoff(v) -> str:
    return "on" if v else "off"


def format_report(r: dict) -> list[str]:
    """The report as text lines (shared with the app's Settings)."""
    m, b, mod = r["machine"], r["build"], r["model"]
    lines = [
        "Machine",
        f"  CPU           {m['name']}: {m['physical']} physical cores, {m['logical']} logical CPUs, AMX {'yes' if m['amx'] else 'no'}",
        f"  llama.cpp     llama-cpp-python {b.get('llama_cpp_python') or '?'}; CPU variant: {m['cpu_variant']}"
        + (f" (of {', '.join(m['variants_shipped'])})" if m["variants_shipped"] else ""),
        f"  extra buffers {_onoff(m['extra_buffers'])} (weight repacking)" + "".join(f"; {c}" for c in m["load_choices"]),
        f"  GPU offload   {'available' if b.get('gpu_offload') else 'not in this build'}",
        f"Model           {mod['name']} ({mod['size']:,} bytes)",
    ]
    meas = r.get("measured")
    if meas is None:
        lines.append(f"Calibration     {r['status']}" + (f": {r['error']}" if r.get("error") else ""))
    else:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(meas["measured_at"]))
        depths = sorted({int(d) for run in meas["runs"] for d in run["decode_tps"]} | set(meas["depths"]))
        lines.append(f"Calibration     {r['status']}, {when}, {meas['seconds']:.1f} s  ({r['cache_file']})")
        lines.append(f"  {'setting':44}{'prompt tok/s':>13}" + "".join(f"{f'decode @{d}':>13}" for d in depths))
        for run in meas["runs"]:
            label = f"flash attention {_onoff(run['flash_attn'])}, {run['n_threads']} threads, ubatch {run['n_ubatch']}"
            if run["n_gpu_layers"]:
                label += f", {run['n_gpu_layers']} GPU layers"
            dec = run["decode_tps"]
            cells = [f"{dec[str(d)]:13.1f}" if str(d) in dec else f"{'-':>13}" for d in depths]
            lines.append(f"  {label:44}{run['prompt_tps']:13.1f}{''.join(cells)}")
        c = meas["choice"]
        lines.append(f"Chosen          flash attention {_onoff(c['flash_attn'])}, {c['n_threads']} threads, ubatch {c['n_ubatch']}"
                     + (f", {c['n_gpu_layers']} GPU layers" if c["n_gpu_layers"] else "") + f"  ({c['reason']})")
    u, ex = r["in_use"], r["explicit"]

    def src(name: str) -> str:
        if ex.get(name):
            return " (your setting)"
        return " (measured)" if meas is not None else " (default)"

    lines.append(f"In use          flash attention {_onoff(u['flash_attn'])}{src('flash_attn')}, {u['n_threads']} threads{src('n_threads')}, "
                 f"ubatch {u['n_ubatch']}{src('n_ubatch')}, GPU layers {u['n_gpu_layers']}")
    if u.get("prefill_flash_attn", u["flash_attn"]) != u["flash_attn"]:
        lines.append(f"                long prompts read with flash attention {_onoff(u['prefill_flash_attn'])} "
                     "in a second context, then moved")
    if u.get("short_below"):
        lines.append(f"                requests under {u['short_below']} tokens run with flash attention "
                     f"{_onoff(not u['flash_attn'])} in that context")
    if "kv_cells" in u:
        lines.append(f"  KV cache      {u['kv_cells']:,} of {u['n_ctx']:,} tokens now"
                     + (": sized to the work, grown when a request needs more, trimmed when idle" if u.get("kv_sized")
                        else ": the whole context from the start"))
    if r.get("applied_live"):
        lines.append(f"  switched now: {', '.join(r['applied_live'])}")
    return lines
