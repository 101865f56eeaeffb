"""Start-up: the runtime loads llama.cpp's low-level module without the high-level package (numpy,
jinja2), and the CLI's parent process builds load options without llama.cpp at all."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_runtime_import_skips_the_high_level_package_and_it_still_works_on_demand():
    out = _run(
        "import sys, engine.runtime as rt\n"
        "print('numpy' in sys.modules, 'llama_cpp.llama' in sys.modules, rt.ll is not None)\n"
        "import llama_cpp\n"
        "print(llama_cpp.__version__)\n"
        "from llama_cpp import Llama\n"
        "print(Llama.__name__, llama_cpp.llama_cpp is rt.ll)\n"
    )
    first, version, last = out.splitlines()
    assert first == "False False True"
    from importlib.metadata import version as dist_version

    assert version == dist_version("llama_cpp_python")
    assert last == "Llama True"


def test_cli_parent_builds_options_without_llama_cpp():
    out = _run(
        "import sys, argparse\n"
        "import hushwrite.cli.loading as cli, engine.process\n"
        "opts = cli.load_options_for(argparse.Namespace(ctx=None, threads=3, gpu_layers=None, no_flash_attn=True))\n"
        "print('llama_cpp' in sys.modules, opts.n_threads, opts.flash_attn, opts.n_ubatch)\n"
    )
    assert out == "False 3 False None"
