"""Portable llama.cpp builds (CPU variants picked at run time) load their backends through the engine.

Runs the build venv's Python (packaging/build makes it, with the portable wheel) on a copy of its
llama_cpp package where libggml.so is a separate file rather than a symlink — as a wheel installs
it — which is the case that loads the backends into the wrong copy of libggml if done naively.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
VENV_PY = ROOT / "packaging" / ".venv" / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")


def _portable_llama_cpp() -> Path | None:
    if not VENV_PY.exists():
        return None
    out = subprocess.run([str(VENV_PY), "-c", "import llama_cpp, os; print(os.path.dirname(llama_cpp.__file__))"],
                         capture_output=True, text=True)
    pkg = Path(out.stdout.strip()) if out.returncode == 0 else None
    if pkg is None or not list((pkg / "lib").glob("*ggml-cpu-*")):
        return None
    return pkg


@pytest.mark.skipif(sys.platform != "linux", reason="the file layout checked here is Linux's")
def test_portable_build_picks_a_cpu_variant_with_unlinked_libggml(tmp_path):
    pkg = _portable_llama_cpp()
    if pkg is None:
        pytest.skip("no portable llama.cpp build here (packaging/build makes packaging/.venv)")
    copy = tmp_path / "site" / "llama_cpp"
    shutil.copytree(pkg, copy, symlinks=True)
    lib = copy / "lib" / "libggml.so"
    target = copy / "lib" / "libggml.so.0"
    lib.unlink()
    shutil.copyfile(target, lib)  # two files, as a wheel installs them
    env = dict(os.environ, PYTHONPATH=f"{tmp_path / 'site'}{os.pathsep}{ROOT}", HUSHWRITE_DEBUG="1")
    code = (
        "from engine.runtime import load_model\n"
        "m = load_model()\n"
        "print('OUTPUT:' + ''.join(m.stream([{'role': 'user', 'content': 'Say hello.'}], max_tokens=4)))\n"
    )
    p = subprocess.run([str(VENV_PY), "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert p.returncode == 0, p.stderr[-2000:]
    assert "OUTPUT:" in p.stdout and p.stdout.split("OUTPUT:")[1].strip()
    loaded = [ln for ln in p.stderr.splitlines() if "loaded CPU backend from" in ln]
    assert len(loaded) == 1 and str(copy / "lib") in loaded[0]
