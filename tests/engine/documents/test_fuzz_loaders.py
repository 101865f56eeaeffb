"""One minute of coverage-guided fuzzing of the loaders (benchmarks/fuzz_loaders.py): a crash, a
hang (one input over 10 s) or an exception that is not an InputError fails it. CI runs it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[3]


def test_one_minute_of_fuzzing_finds_no_crash_hang_or_unclassified_error(tmp_path):
    pytest.importorskip("atheris")
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "fuzz_loaders.py"), "--minutes", "1",
                          "--workdir", str(tmp_path)], capture_output=True, text=True, timeout=900)
    out = run.stdout
    assert "crashes: 0  hangs: 0  unclassified exceptions: 0" in out, out + (tmp_path / "fuzz.log").read_text()[-3000:]
    assert run.returncode == 0, out
    execs = int(re.search(r"executions: ([\d,]+)", out).group(1).replace(",", ""))
    assert execs >= 500, out  # the inputs really ran
    assert int(re.search(r"coverage: (\d+) edges", out).group(1)) > 1000, out
