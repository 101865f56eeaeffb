"""Figures for the packaged app: bundle size with and without the model, build time, and start
time of the frozen app vs running from source (medians over several runs).

    python benchmarks/bundle_figures.py                       # measures dist/hushwrite
    python benchmarks/bundle_figures.py --no-model-bundle DIR # also size a --no-model build
    python benchmarks/bundle_figures.py --build-no-model      # make that build (packaging/build
                                                              #   --no-model --dist build/nomodel)
    python benchmarks/bundle_figures.py --runs 9 --json out.json

Start times (wall clock, process start to ...):
  cli      `hushwrite --version` exits
  window   the desktop window is shown (QT_QPA_PLATFORM=offscreen, the app's HUSHWRITE_STARTUP_PROBE)
  first    a one-sentence `proofread` finishes (model load + generation, 2 threads)
The source runs use `python -m hushwrite` on the checkout with the build virtualenv's Python
(same llama.cpp libraries as the bundle; --source-python to change).
Runs alternate frozen/source so machine load affects both alike. Network is not needed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SENTENCE = "Their going too the libary tomorow."


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def mb(n: float) -> str:
    return f"{n / 1e6:.1f} MB"


def timed(cmd: list[str], env: dict, stdin: str | None = None, probe: bool = False) -> float:
    start = time.time()
    r = subprocess.run(cmd, input=stdin, capture_output=True, text=True, env=env, cwd=env["HOME"], timeout=300)
    end = time.time()
    if r.returncode != 0:
        raise RuntimeError(f"{cmd} failed ({r.returncode}): {r.stderr[-2000:]}")
    if probe:
        lines = [json.loads(x) for x in r.stdout.splitlines() if x.startswith("{")]
        return lines[-1]["shown_at"] - start
    return end - start


def start_times(bundle: Path, runs: int, python: str) -> dict:
    exe = bundle / ("hushwrite-cli.exe" if sys.platform == "win32" else "hushwrite")
    source = [python, "-m", "hushwrite"]
    frozen = [str(exe)]
    results: dict[str, dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        base = {k: v for k, v in os.environ.items() if not k.startswith(("HUSHWRITE_", "PYTHONPATH"))}
        base.update(HOME=tmp, HUSHWRITE_DATA_DIR=str(Path(tmp) / "data"), QT_QPA_PLATFORM="offscreen")
        src_env = dict(base, PYTHONPATH=str(ROOT))
        cases = {
            "cli": (["--version"], None, False),
            "window": (["--no-store"], None, True),
            "first": (["--no-store", "proofread", "--threads", "2"], SENTENCE, False),
        }
        for name, (args, stdin, probe) in cases.items():
            for how in ("frozen", "source"):
                results.setdefault(name, {}).setdefault(how, [])
            # one warm-up each: the first run after a build pays for a cold page cache
            for how, cmd, env in (("frozen", frozen, base), ("source", source, src_env)):
                timed(cmd + args, dict(env, HUSHWRITE_STARTUP_PROBE="1") if probe else env, stdin, probe)
            for _ in range(runs):
                for how, cmd, env in (("frozen", frozen, base), ("source", source, src_env)):
                    e = dict(env, HUSHWRITE_STARTUP_PROBE="1") if probe else env
                    results[name][how].append(timed(cmd + args, e, stdin, probe))
    return {name: {how: {"median_s": round(statistics.median(v), 3), "runs": [round(x, 3) for x in v]}
                   for how, v in hows.items()} for name, hows in results.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bundle", type=Path, default=ROOT / "dist" / "hushwrite")
    ap.add_argument("--no-model-bundle", type=Path, help="a bundle built with packaging/build --no-model")
    ap.add_argument("--build-no-model", action="store_true", help="build that bundle into build/nomodel first")
    ap.add_argument("--runs", type=int, default=7)
    venv = ROOT / "packaging" / ".venv" / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    ap.add_argument("--source-python", default=str(venv) if venv.exists() else sys.executable,
                    help="interpreter for the source runs (default: the build venv, same libraries as the bundle)")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)

    bundle = args.bundle.resolve()
    if not bundle.is_dir():
        print(f"no bundle at {bundle}: run packaging/build first", file=sys.stderr)
        return 2
    figures: dict = {"bundle": str(bundle)}
    info_path = bundle / "build-info.json"
    info = json.loads(info_path.read_text()) if info_path.exists() else {}
    figures["build"] = {k: info.get(k) for k in ("flavour", "cmake_args", "cpu_variants", "pyinstaller_seconds", "model")}
    wheel_info = sorted((Path.home() / ".cache" / "hushwrite" / "wheels").glob("cpu-*/build-info.json"))
    if wheel_info:
        figures["build"]["portable_wheel_minutes"] = json.loads(wheel_info[-1].read_text()).get("minutes")

    total = dir_size(bundle)
    models = bundle / "_internal" / "models"
    model_bytes = dir_size(models) if models.is_dir() else 0
    figures["size"] = {"bundle_bytes": total, "model_bytes": model_bytes}
    nomodel = args.no_model_bundle
    if args.build_no_model:
        nomodel = ROOT / "build" / "nomodel"
        subprocess.run([sys.executable, str(ROOT / "packaging" / "build"), "--no-model", "--dist", str(nomodel)], check=True)
        nomodel = nomodel / "hushwrite"
    if nomodel:
        figures["size"]["no_model_bundle_bytes"] = dir_size(Path(nomodel))
    figures["source_python"] = args.source_python
    figures["start"] = start_times(bundle, args.runs, args.source_python)

    print(f"bundle {bundle}")
    print(f"  size with model:    {mb(total)} (model {mb(model_bytes)})")
    if "no_model_bundle_bytes" in figures["size"]:
        print(f"  size without model: {mb(figures['size']['no_model_bundle_bytes'])} (a --no-model build)")
    else:
        print(f"  size without model: {mb(total - model_bytes)} (this bundle minus models/)")
    b = figures["build"]
    if b.get("pyinstaller_seconds") is not None:
        print(f"  build: PyInstaller {b['pyinstaller_seconds']} s; portable llama.cpp wheel "
              f"{b.get('portable_wheel_minutes', '?')} min (once, then cached)")
    print(f"start times, median of {args.runs} (frozen vs source):")
    for name, hows in figures["start"].items():
        print(f"  {name:7s} frozen {hows['frozen']['median_s']:.3f} s   source {hows['source']['median_s']:.3f} s")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
