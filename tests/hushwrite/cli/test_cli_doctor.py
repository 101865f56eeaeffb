"""`hushwrite doctor`: the machine, the build, what was measured and what is in use, as text and JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from engine import calibrate as cal

ROOT = Path(__file__).resolve().parents[3]


def _doctor(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, HUSHWRITE_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "hushwrite", "doctor", *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=300)


def _cache_measurement(model_path, read_on: float = 131.0) -> cal.Choice:
    model_id, build, cpu = cal.model_identity(model_path), cal.build_identity(), cal.cpu_identity()
    runs = [cal.Run(flash_attn=True, n_threads=2, prompt_tps=read_on, decode_tps={200: 47.5, 1500: 18.2}),
            cal.Run(flash_attn=False, n_threads=2, prompt_tps=127.0, decode_tps={200: 49.0, 1500: 36.9}),
            cal.Run(flash_attn=False, n_threads=2, n_ubatch=256, prompt_tps=119.0)]
    choice = cal.choose(runs, runs[0])
    cal.save_profile(cal.new_profile(cal.cache_key(model_id, build, cpu), model_id, build, cpu, runs, choice, [200, 1500], 6.1))
    return choice


def test_doctor_reports_the_cached_measurement_and_uses_it(default_model_path, data_dir):
    choice = _cache_measurement(default_model_path)
    assert choice.flash_attn is False
    out = _doctor(data_dir, "--json")
    assert out.returncode == 0, out.stderr
    r = json.loads(out.stdout)
    assert r["status"] == "cached" and r["machine"]["amx"] == cal.cpu_identity()["amx"]
    assert r["machine"]["name"] == cal.cpu_name() and r["machine"]["physical"] >= 1
    assert r["measured"]["choice"]["flash_attn"] is False and r["measured"]["depths"] == [200, 1500]
    assert r["in_use"]["flash_attn"] is False and not r["explicit"]["flash_attn"]
    text = _doctor(data_dir).stdout
    assert "AMX " in text and "extra buffers " in text
    assert "flash attention on, 2 threads, ubatch 512" in text and "18.2" in text and "36.9" in text
    assert "In use          flash attention off (measured)" in text
    assert (r["in_use"]["kv_cells"], r["in_use"]["n_ctx"], r["in_use"]["kv_sized"]) == (1024, 4096, True)
    assert "KV cache      1,024 of 4,096 tokens now: sized to the work" in text
    assert r["in_use"]["prefill_flash_attn"] is False and "long prompts" not in text  # 131 vs 127: within the margin


def test_doctor_says_when_long_prompts_are_read_with_the_other_setting(default_model_path, data_dir):
    choice = _cache_measurement(default_model_path, read_on=140.0)
    assert (choice.flash_attn, choice.prefill_flash_attn) == (False, True)
    r = json.loads(_doctor(data_dir, "--json").stdout)
    assert r["in_use"]["flash_attn"] is False and r["in_use"]["prefill_flash_attn"] is True
    text = _doctor(data_dir).stdout
    assert "long prompts read with flash attention on in a second context, then moved" in text
    assert "long prompts are read with flash attention on in a second context: 140 vs 127 tokens/s" in text


def test_doctor_shows_an_explicit_choice_winning(default_model_path, data_dir):
    _cache_measurement(default_model_path)
    r = json.loads(_doctor(data_dir, "--json", "--threads", "1").stdout)
    assert r["in_use"]["n_threads"] == 1 and r["explicit"]["n_threads"]
    assert r["in_use"]["flash_attn"] is False  # still the measured choice
    text = _doctor(data_dir, "--threads", "1").stdout
    assert "1 threads (your setting)" in text


def test_doctor_with_a_bad_model_exits_3_with_a_message(tmp_path, data_dir):
    bogus = tmp_path / "broken.gguf"
    bogus.write_bytes(b"not a model" * 20)
    out = _doctor(data_dir, "--model", str(bogus))
    assert out.returncode == 3 and "broken.gguf" in out.stderr and "Traceback" not in out.stderr


def test_doctor_table_shows_every_measured_depth():
    from hushwrite.cli.doctor import format_report

    runs = [cal.Run(flash_attn=True, n_threads=2, prompt_tps=330.0, decode_tps={32: 92.1, 200: 77.6, 512: 51.8}),
            cal.Run(flash_attn=False, n_threads=2, prompt_tps=300.0, decode_tps={32: 85.6, 200: 85.4, 512: 72.9})]
    choice = cal.choose(runs, runs[0])
    prof = cal.new_profile("k", {"name": "m.gguf", "size": 1}, {}, {}, runs, choice, [200, 512], 6.3).as_dict()
    report = {
        "status": "cached", "error": "", "cache_file": "calibration.json",
        "machine": {"name": "cpu", "physical": 2, "logical": 2, "amx": True, "extra_buffers": False,
                    "cpu_variant": "x", "variants_shipped": [], "load_choices": []},
        "build": {"llama_cpp_python": "0.3.36", "gpu_offload": False}, "model": {"name": "m.gguf", "size": 1},
        "measured": {k: prof[k] for k in ("runs", "choice", "depths", "seconds", "measured_at")},
        "in_use": {"flash_attn": False, "prefill_flash_attn": True, "short_below": choice.short_below,
                   "n_threads": 2, "n_ubatch": 512, "n_batch": 512, "n_gpu_layers": 0},
        "explicit": {}, "applied_live": [],
    }
    text = "\n".join(format_report(report))
    assert "decode @32  decode @200  decode @512" in text
    assert "92.1" in text and "85.6" in text
    assert f"requests under {choice.short_below} tokens run with flash attention on in that context" in text
