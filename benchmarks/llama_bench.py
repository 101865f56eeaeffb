"""llama.cpp's own `llama-bench`, built from the llama.cpp that llama-cpp-python vendors: an
independent speed reference for the engine (benchmarks/engine_speed.py --reference).

Found, in order: $HUSHWRITE_LLAMA_BENCH; `llama-bench` on PATH; a build under
~/.cache/hushwrite/ (ours in llama-bench/build, or any other */build/bin/llama-bench there, e.g.
a llama-server build from the same sources); otherwise built once, niced, from the
llama-cpp-python sdist of the installed version into ~/.cache/hushwrite/llama-bench/.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "hushwrite"
OURS = CACHE / "llama-bench"


def installed_version() -> str:
    from importlib.metadata import version

    return version("llama_cpp_python")


def find() -> Path | None:
    env = os.environ.get("HUSHWRITE_LLAMA_BENCH")
    if env and Path(env).is_file():
        return Path(env)
    on_path = shutil.which("llama-bench")
    if on_path:
        return Path(on_path)
    candidates = [OURS / "build" / "bin" / "llama-bench"] + sorted(CACHE.glob("*/build*/bin/llama-bench"))
    return next((c for c in candidates if c.is_file() and os.access(c, os.X_OK)), None)


def build(log=sys.stderr) -> Path:
    """Download the sdist of the installed llama-cpp-python and build llama-bench (once)."""
    version = installed_version()
    OURS.mkdir(parents=True, exist_ok=True)
    sdist = OURS / f"llama_cpp_python-{version}.tar.gz"
    if not sdist.exists():
        print(f"downloading the llama-cpp-python {version} sources...", file=log)
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
                        f"llama-cpp-python=={version}", "-d", str(OURS)], check=True)
    src = OURS / f"llama_cpp_python-{version}" / "vendor" / "llama.cpp"
    if not src.is_dir():
        with tarfile.open(sdist) as tar:
            tar.extractall(OURS, filter="data")
    build_dir = OURS / "build"
    nice = ["nice", "-n", "10"] if shutil.which("nice") else []
    gen = ["-G", "Ninja"] if shutil.which("ninja") else []
    print("building llama-bench (niced; several minutes on a small machine)...", file=log)
    subprocess.run(nice + ["cmake", "-S", str(src), "-B", str(build_dir), *gen, "-DCMAKE_BUILD_TYPE=Release",
                           "-DLLAMA_CURL=OFF", "-DLLAMA_BUILD_TESTS=OFF", "-DLLAMA_BUILD_SERVER=OFF",
                           "-DGGML_NATIVE=ON", "-DBUILD_SHARED_LIBS=OFF"], check=True)
    subprocess.run(nice + ["cmake", "--build", str(build_dir), "--target", "llama-bench", "-j", str(os.cpu_count() or 1)],
                   check=True)
    return build_dir / "bin" / "llama-bench"


def find_or_build() -> Path:
    return find() or build()


def run(binary: Path, model: Path, threads: int, depths: list[int], reps: int, n_prompt: int = 512,
        n_gen: int = 64, flash: tuple[int, ...] = (0, 1)) -> list[dict]:
    """llama-bench's JSON results: one entry per (test, depth, flash attention), with avg_ts.
    Repacking (extra buffer types) is off: on a CPU with AMX it would take the AMX path that
    crashes, and the engine runs without it there too."""
    cmd = [str(binary), "-m", str(model), "-t", str(threads), "-p", str(n_prompt), "-n", str(n_gen),
           "-d", ",".join(map(str, depths)), "-fa", ",".join(map(str, flash)), "--repack", "0",
           "-r", str(reps), "-o", "json"]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"llama-bench failed ({out.returncode}): {out.stderr.strip()[-500:]}")
    return json.loads(out.stdout)


def rate(results: list[dict], test: str, depth: int, flash: bool) -> float:
    """tokens/s of 'pp' or 'tg' at `depth` with flash attention on/off (0.0 when absent)."""
    for r in results:
        is_pp = r.get("n_prompt", 0) > 0 and r.get("n_gen", 0) == 0
        if (test == "pp") == is_pp and int(r.get("n_depth", 0)) == depth and bool(r.get("flash_attn")) == flash:
            return float(r["avg_ts"])
    return 0.0
