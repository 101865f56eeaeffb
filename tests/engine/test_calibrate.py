"""The calibration's choice logic, its plan (GPU path included), its cache and when the cache misses."""

from __future__ import annotations

import json
import os

import pytest

from engine import calibrate as cal
from engine.calibrate_measure import PROMPT_END, fit_depth
from engine.runtime import LoadOptions


def full(fa, threads=2, prompt=125.0, d200=45.0, deep=40.0, ubatch=512, gpu=0, depth=1500):
    return cal.Run(flash_attn=fa, n_threads=threads, n_ubatch=ubatch, n_gpu_layers=gpu, prompt_tps=prompt,
                   decode_tps={200: d200, depth: deep})


DEFAULT = cal.Run(flash_attn=True, n_threads=2)


def test_flash_attention_off_wins_when_it_decodes_faster_at_depth():
    # this machine's pattern (issue 13): about the same at 200 tokens, half the speed at 1,500 with it on
    runs = [full(True, d200=48.0, deep=18.0), full(False, d200=50.0, deep=37.0)]
    c = cal.choose(runs, DEFAULT)
    assert c.flash_attn is False
    assert "flash attention off" in c.reason


def test_flash_attention_stays_on_where_it_is_faster():
    runs = [full(True, d200=60.0, deep=55.0), full(False, d200=50.0, deep=30.0)]
    assert cal.choose(runs, DEFAULT).flash_attn is True


def test_noise_below_the_margin_keeps_the_default():
    runs = [full(True, deep=40.0), full(False, deep=40.4, d200=45.3)]
    c = cal.choose(runs, DEFAULT)
    assert c.flash_attn is True and c.reason == "the default was fastest"


def test_the_default_also_wins_when_it_is_the_other_setting():
    default_off = cal.Run(flash_attn=False, n_threads=2)
    runs = [full(True, deep=40.4, d200=45.3), full(False, deep=40.0)]
    assert cal.choose(runs, default_off).flash_attn is False


def test_ubatch_comes_from_prompt_runs_of_the_winner_only():
    runs = [full(True, deep=18.0), full(False, deep=37.0, prompt=120.0),
            cal.Run(flash_attn=False, n_threads=2, n_ubatch=256, prompt_tps=140.0),  # the winner's variant
            cal.Run(flash_attn=True, n_threads=2, n_ubatch=128, prompt_tps=500.0)]  # another base: ignored
    c = cal.choose(runs, DEFAULT)
    assert (c.flash_attn, c.n_ubatch) == (False, 256)
    slower = runs[:2] + [cal.Run(flash_attn=False, n_threads=2, n_ubatch=256, prompt_tps=121.0)]  # within the margin
    assert cal.choose(slower, DEFAULT).n_ubatch == 512


def test_more_threads_win_only_when_measured_faster():
    runs = [full(True, deep=40.0), full(False, deep=30.0), full(True, threads=4, deep=52.0, d200=60.0, prompt=160.0)]
    assert cal.choose(runs, DEFAULT).n_threads == 4
    runs[2] = full(True, threads=4, deep=35.0, d200=40.0, prompt=110.0)  # hyper-threads slowed it down
    assert cal.choose(runs, DEFAULT).n_threads == 2


def test_choose_needs_a_complete_measurement():
    with pytest.raises(ValueError):
        cal.choose([cal.Run(flash_attn=True, n_threads=2, n_ubatch=256, prompt_tps=100.0)], DEFAULT)


def test_decode_time_is_interpolated_and_extrapolated_linearly_in_depth():
    rates = {200: 50.0, 512: 25.0}  # 20 ms and 40 ms per token
    assert cal.seconds_per_token(rates, 200) == pytest.approx(0.020)
    assert cal.seconds_per_token(rates, 356) == pytest.approx(0.030)
    assert cal.seconds_per_token(rates, 824) == pytest.approx(0.060)  # beyond the deepest measurement
    assert cal.seconds_per_token({300: 40.0}, 1500) == pytest.approx(0.025)


def test_plan_cpu_only_machine_without_hyperthreads():
    full_runs, threads, ubatches = cal.plan(DEFAULT, physical=2, logical=2, gpu_layers=0)
    assert [(r.flash_attn, r.n_gpu_layers) for r in full_runs] == [(True, 0), (False, 0)]
    assert threads == []
    assert [r.n_ubatch for r in ubatches] == [256]


def test_plan_with_hyperthreads_tries_all_logical_cpus():
    _, threads, _ = cal.plan(cal.Run(flash_attn=True, n_threads=4), physical=4, logical=8, gpu_layers=0)
    assert [r.n_threads for r in threads] == [8]


def test_plan_and_choice_on_a_gpu_machine():
    """With a GPU, offload on and off are measured with flash attention on and off; a GPU slower
    than the CPU for a tiny model loses, and the choice loads CPU-only next time."""
    gpu_default = cal.Run(flash_attn=True, n_threads=8, n_gpu_layers=31)
    full_runs, _, _ = cal.plan(gpu_default, physical=8, logical=8, gpu_layers=31)
    assert {(r.n_gpu_layers, r.flash_attn) for r in full_runs} == {(31, True), (31, False), (0, True), (0, False)}
    runs = [full(True, 8, gpu=31, deep=90.0, d200=95.0, prompt=3000.0), full(False, 8, gpu=31, deep=70.0, prompt=2800.0),
            full(True, 8, gpu=0, deep=40.0), full(False, 8, gpu=0, deep=38.0)]
    c = cal.choose(runs, gpu_default)
    assert (c.n_gpu_layers, c.flash_attn) == (31, True)
    runs[0] = full(True, 8, gpu=31, deep=20.0, d200=22.0, prompt=130.0)  # a weak iGPU
    runs[1] = full(False, 8, gpu=31, deep=18.0, d200=20.0, prompt=120.0)
    c = cal.choose(runs, gpu_default)
    assert c.n_gpu_layers == 0
    # next load with GPU layers on "auto": CPU only; an explicit number stays
    assert LoadOptions().with_choice(c).n_gpu_layers == 0
    assert LoadOptions(n_gpu_layers=12).with_choice(c).n_gpu_layers == 12


def test_explicit_user_choices_win_over_the_calibration():
    c = cal.Choice(flash_attn=False, n_threads=4, n_ubatch=256)
    auto = LoadOptions().with_choice(c)
    assert (auto.flash_attn, auto.n_threads, auto.n_ubatch) == (False, 4, 256)
    mine = LoadOptions(flash_attn=True, n_threads=1, n_ubatch=512).with_choice(c)
    assert (mine.flash_attn, mine.n_threads, mine.n_ubatch) == (True, 1, 512)
    assert LoadOptions(flash_attn=True).explicit() == {"flash_attn": True, "n_threads": False, "n_ubatch": False, "n_gpu_layers": False}
    plain = LoadOptions().with_choice(None)  # nothing measured: the built-in defaults
    assert (plain.flash_attn, plain.n_ubatch) == (True, 512)


def test_fit_depth_fills_the_budget_and_stays_in_range():
    # 125 prompt tokens/s, 40 decode tokens/s: one more full run and one prompt run left
    generous = fit_depth(60.0, 125.0, 40.0, full_left=1, prompt_runs=1, short=200, ceiling=1500)
    assert generous == 1472  # the ceiling rounded down to a multiple of 64
    tight = fit_depth(12.0, 125.0, 40.0, full_left=1, prompt_runs=1, short=200, ceiling=1500)
    assert PROMPT_END <= tight < generous
    assert fit_depth(0.5, 125.0, 40.0, 1, 1, 200, 1500) == PROMPT_END  # never below the prompt segment


# -- identities and the cache ---------------------------------------------------------------------
def _profile(key: str, fa: bool = False) -> cal.Profile:
    runs = [full(True), full(False)]
    return cal.new_profile(key, {"name": "m"}, {"v": 1}, {"c": 1}, runs, cal.Choice(fa, 2), [200, 1500], 4.2)


def test_cache_round_trip_in_the_config_folder(data_dir):
    path = cal.save_profile(_profile("k1"))
    assert path == cal.cache_path() and path.parent == data_dir
    back = cal.load_profile("k1")
    assert back is not None and back.choice.flash_attn is False
    assert back.runs[1].decode_tps == {200: 45.0, 1500: 40.0}
    assert cal.load_profile("other") is None


def test_damaged_or_foreign_cache_files_read_as_empty(data_dir):
    data_dir.mkdir(parents=True, exist_ok=True)
    cal.cache_path().write_text("{not json", encoding="utf-8")
    assert cal.load_profile("k1") is None
    cal.cache_path().write_text(json.dumps({"format": 999, "entries": {"k1": {}}}), encoding="utf-8")
    assert cal.load_profile("k1") is None
    cal.save_profile(_profile("k1"))  # a damaged file is replaced, not a reason to fail
    assert cal.load_profile("k1") is not None


def test_the_cache_keeps_only_the_newest_entries(data_dir):
    for i in range(cal.MAX_ENTRIES + 3):
        p = _profile(f"k{i}")
        p.measured_at = 1000.0 + i
        cal.save_profile(p)
    entries = json.loads(cal.cache_path().read_text())["entries"]
    assert len(entries) == cal.MAX_ENTRIES and "k0" not in entries and f"k{cal.MAX_ENTRIES + 2}" in entries


def test_model_identity_follows_content_not_name_or_time(tmp_path):
    a = tmp_path / "a.gguf"
    a.write_bytes(b"GGUF" + bytes(range(256)) * 9000)
    b = tmp_path / "copy.gguf"
    b.write_bytes(a.read_bytes())
    os.utime(b, (1, 1))
    ia, ib = cal.model_identity(a), cal.model_identity(b)
    assert (ia["size"], ia["hash"]) == (ib["size"], ib["hash"])
    blob = bytearray(a.read_bytes())
    blob[100] ^= 1  # another header (another model or quantization)
    a.write_bytes(bytes(blob))
    assert cal.model_identity(a)["hash"] != ib["hash"]
    b.write_bytes(b.read_bytes() + b"\0")  # another size
    assert cal.model_identity(b)["size"] != ia["size"]


def test_a_model_build_or_cpu_change_is_a_cache_miss(tmp_path, data_dir):
    m = tmp_path / "m.gguf"
    m.write_bytes(b"GGUF" + b"x" * 5000)
    model_id, build, cpu = cal.model_identity(m), cal.build_identity(), cal.cpu_identity()
    key = cal.cache_key(model_id, build, cpu)
    cal.save_profile(_profile(key))
    assert cal.load_profile(cal.cache_key(cal.model_identity(m), cal.build_identity(), cal.cpu_identity())) is not None
    m.write_bytes(b"GGUF" + b"y" * 5000)  # the model file was replaced
    assert cal.load_profile(cal.cache_key(cal.model_identity(m), build, cpu)) is None
    newer = dict(build, llama_cpp_python="9.9.9")  # llama.cpp upgraded
    assert cal.load_profile(cal.cache_key(model_id, newer, cpu)) is None
    moved = dict(cpu, name="AMD EPYC 9654", physical=96)  # the settings folder moved to another machine
    assert cal.load_profile(cal.cache_key(model_id, build, moved)) is None


def test_identities_describe_this_machine():
    cpu = cal.cpu_identity()
    assert cpu["logical"] >= cpu["physical"] >= 1 and cpu["name"]
    build = cal.build_identity()
    assert build["llama_cpp_python"] and "CPU" in build["features"]


# -- reading long prompts with the other attention setting (runtime/split_prefill.py) ---------------
def test_the_other_setting_reads_prompts_when_it_measured_faster_at_it():
    # this machine's pattern: off decodes faster at depth, on reads prompts ~8-15 % faster
    runs = [full(True, d200=48.0, deep=18.0, prompt=330.0), full(False, d200=50.0, deep=37.0, prompt=300.0)]
    c = cal.choose(runs, DEFAULT)
    assert (c.flash_attn, c.prefill_flash_attn) == (False, True)
    assert "long prompts are read with flash attention on in a second context: 330 vs 300" in c.reason
    assert LoadOptions().with_choice(c).prefill_flash_attn is True


def test_no_second_context_within_the_margin_or_when_the_winner_also_reads_faster():
    near = [full(True, deep=18.0, prompt=312.0), full(False, deep=37.0, prompt=300.0)]  # +4 %
    assert cal.choose(near, DEFAULT).prefill_flash_attn is None
    winner_reads_faster = [full(True, deep=18.0, prompt=280.0), full(False, deep=37.0, prompt=300.0)]
    assert cal.choose(winner_reads_faster, DEFAULT).prefill_flash_attn is None


def test_no_second_context_on_a_gpu_or_against_an_explicit_attention_setting():
    gpu = [full(True, gpu=33, deep=90.0, prompt=900.0), full(False, gpu=33, deep=95.0, d200=60.0, prompt=600.0)]
    assert cal.choose(gpu, cal.Run(flash_attn=True, n_threads=2, n_gpu_layers=33)).prefill_flash_attn is None
    c = cal.Choice(flash_attn=False, n_threads=2, prefill_flash_attn=True)
    assert LoadOptions(flash_attn=False).with_choice(c).prefill_flash_attn is None  # the user's setting, for all
    assert LoadOptions(flash_attn=False, prefill_flash_attn=True).with_choice(c).prefill_flash_attn is True
    assert LoadOptions.safe().prefill_flash_attn is False


def test_a_profile_measured_before_the_split_gets_it_from_its_runs(data_dir):
    runs = [full(True, d200=48.0, deep=18.0, prompt=330.0), full(False, d200=50.0, deep=37.0, prompt=300.0)]
    choice = cal.choose(runs, DEFAULT)
    d = cal.new_profile("k", {"size": 1}, {}, {}, runs, choice, [200, 1500], 5.0).as_dict()
    del d["choice"]["prefill_flash_attn"]
    d["choice"]["reason"] = "old reason"
    old = cal.Profile.from_dict(d)
    assert old.choice.prefill_flash_attn is True and old.choice.reason.startswith("old reason; long prompts")
    assert cal.Profile.from_dict(cal.new_profile("k", {}, {}, {}, runs, choice, [], 1.0).as_dict()).choice == choice


# -- short requests with the other attention setting -------------------------------------------------
def three(fa, tiny, d200, deep, prompt=300.0):
    return cal.Run(flash_attn=fa, n_threads=2, prompt_tps=prompt, decode_tps={cal.TINY_DEPTH: tiny, 200: d200, 1500: deep})


def test_short_requests_go_where_the_other_setting_decodes_faster():
    # this machine: on decodes faster right after a few tokens, off from ~150 on
    runs = [three(True, tiny=105.0, d200=80.0, deep=35.0), three(False, tiny=95.0, d200=88.0, deep=65.0)]
    c = cal.choose(runs, DEFAULT)
    assert c.flash_attn is False and 64 <= c.short_below <= 200 and c.short_below % 16 == 0
    # the crossing, by hand: per-token times linear in depth between 32 and 200
    on = lambda d: 1 / 105 + (1 / 80 - 1 / 105) * (d - 32) / 168  # noqa: E731
    off = lambda d: 1 / 95 + (1 / 88 - 1 / 95) * (d - 32) / 168  # noqa: E731
    assert on(c.short_below) <= off(c.short_below) and on(c.short_below + 16) > off(c.short_below + 16)
    assert f"requests under {c.short_below} tokens run with flash attention on" in c.reason
    assert LoadOptions().with_choice(c).short_below == c.short_below
    assert LoadOptions(flash_attn=False).with_choice(c).short_below == 0  # the user's setting, for all


def test_no_short_requests_within_the_margin_past_the_measured_range_or_without_data():
    near = [three(True, tiny=97.0, d200=80.0, deep=35.0), three(False, tiny=95.0, d200=88.0, deep=65.0)]
    assert cal.choose(near, DEFAULT).short_below == 0
    always = [three(True, tiny=120.0, d200=95.0, deep=35.0), three(False, tiny=95.0, d200=88.0, deep=65.0)]
    assert cal.choose(always, DEFAULT).short_below == 192  # faster at 200 too: nothing assumed past it
    old = [full(True, deep=18.0), full(False, deep=37.0)]  # measured before the tiny depth was
    assert cal.choose(old, DEFAULT).short_below == 0
    assert cal.Choice.from_dict({"flash_attn": False, "n_threads": 2}).short_below == 0


def test_a_profile_without_the_tiny_depth_is_measured_again_in_the_background(monkeypatch):
    from engine.calibrate_state import CalibrationState

    monkeypatch.delenv("HUSHWRITE_NO_BACKGROUND_CALIBRATION", raising=False)  # set for the app's tests

    old_runs = [full(True, deep=18.0), full(False, deep=37.0)]
    new_runs = [three(True, tiny=105.0, d200=80.0, deep=35.0), three(False, tiny=95.0, d200=88.0, deep=65.0)]
    old = cal.new_profile("k", {}, {}, {}, old_runs, cal.choose(old_runs, DEFAULT), [200, 1500], 1.0)
    new = cal.new_profile("k", {}, {}, {}, new_runs, cal.choose(new_runs, DEFAULT), [200, 1500], 1.0)
    assert not old.complete() and new.complete()
    state = CalibrationState("k", {}, {}, {}, new, use=True)
    assert state.start_background(model=None, budget=1.0, force=False) is False  # complete: nothing to do
    state = CalibrationState("k", {}, {}, {}, old, use=True)
    state._background = lambda model, budget: None  # the measuring itself is test_calibrate_measure's
    assert state.start_background(model=None, budget=1.0, force=False) is True
    assert state.choice_in_use() is old.choice  # used until the new measurement lands
