"""The `hushwrite` command as a user runs it: exit codes, messages, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def run(args, stdin="", env=None, timeout=120):
    e = dict(os.environ)
    e["PYTHONPATH"] = str(ROOT) + os.pathsep + e.get("PYTHONPATH", "")
    e.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "hushwrite", *args], input=stdin, capture_output=True, text=True, timeout=timeout, env=e
    )


def assert_clean_failure(p, code, words):
    assert p.returncode == code, p.stderr
    assert "Traceback" not in p.stderr
    assert p.stderr.startswith("hushwrite: ") or "usage:" in p.stderr
    assert words in p.stderr


def test_version():
    p = run(["--version"])
    assert p.returncode == 0 and p.stdout.startswith("hushwrite ")


def test_rewrite_json_has_timings(data_dir):
    p = run(["--no-store", "rewrite", "--tone", "professional", "--json"], stdin="can u send me the file asap thx")
    assert p.returncode in (0, 4), p.stderr
    d = json.loads(p.stdout)
    for key in ("prompt_tokens", "output_tokens", "first_token_seconds", "decode_tokens_per_second"):
        assert key in d["timings"]
    assert d["timings"]["output_tokens"] > 0


def test_models_lists_default_with_metadata(data_dir):
    p = run(["models"])
    assert p.returncode == 0
    assert "llama" in p.stdout and "Q4_1" in p.stdout and "[default]" in p.stdout


def test_models_reports_unusable_file(tmp_path, data_dir):
    bad = tmp_path / "bad.gguf"
    bad.write_text("not a model")
    p = run(["models", str(bad)])
    assert p.returncode == 3 and "not a GGUF" in p.stdout


def test_missing_model_exit_3(tmp_path, data_dir):
    p = run(["--no-store", "rewrite", "--model", str(tmp_path / "none.gguf")], stdin="hello there")
    assert_clean_failure(p, 3, "model file not found")


def test_truncated_model_exit_3(tmp_path, data_dir, default_model_path):
    cut = tmp_path / "cut.gguf"
    with default_model_path.open("rb") as src:
        cut.write_bytes(src.read(20_000_000))
    p = run(["--no-store", "rewrite", "--model", str(cut)], stdin="hello there")
    assert_clean_failure(p, 3, "truncated")


def test_unsupported_architecture_exit_3(unsupported_arch_model, data_dir):
    p = run(["--no-store", "rewrite", "--model", str(unsupported_arch_model)], stdin="hello there")
    assert_clean_failure(p, 3, "not supported")


def test_missing_input_file_exit_2(data_dir):
    p = run(["--no-store", "rewrite", "/nonexistent/file.txt"])
    assert_clean_failure(p, 2, "file not found")


def test_empty_input_exit_2(data_dir):
    p = run(["--no-store", "rewrite"], stdin="   \n")
    assert_clean_failure(p, 2, "empty")


def test_binary_input_exit_2(tmp_path, data_dir):
    f = tmp_path / "x.bin"
    f.write_bytes(b"\x00\x01\x02" * 100)
    p = run(["--no-store", "rewrite", str(f)])
    assert_clean_failure(p, 2, "binary")


def test_bad_usage_exit_2(data_dir):
    p = run(["rewrite", "--tone", "pirate"])
    assert p.returncode == 2 and "Traceback" not in p.stderr


def test_custom_without_instruction_exit_2(data_dir):
    p = run(["--no-store", "rewrite", "--tone", "custom"], stdin="some text here")
    assert_clean_failure(p, 2, "instruction")


def test_latin1_file_is_decoded(tmp_path, data_dir):
    f = tmp_path / "latin1.txt"
    f.write_bytes("Le café était fermé hier soir à cause de la grève.".encode("latin-1"))
    p = run(["--no-store", "rewrite", "--json", str(f)])
    assert p.returncode in (0, 4), p.stderr
    assert "café" in json.loads(p.stdout)["original"] if "original" in json.loads(p.stdout) else True
