"""A real calibration of the real default model: in the background, yielding to a request, cached
for the next load, and never overriding a setting the user chose."""

from __future__ import annotations

import time

from engine import calibrate as cal
from engine.runtime import LoadOptions, load_model

# A small context keeps the measured depths (and the test's CPU time) small; the logic is the same.
N_CTX = 640
BUDGET = 120.0  # seconds (a loaded shared machine); the calibration gives up past 3x its budget


def test_background_calibration_measures_every_setting_yields_to_requests_and_is_reused(default_model_path, data_dir,
                                                                                       monkeypatch):
    monkeypatch.delenv("HUSHWRITE_NO_BACKGROUND_CALIBRATION", raising=False)  # the app tests' conftest sets it
    model = load_model(default_model_path, LoadOptions(n_ctx=N_CTX))
    try:
        assert model.calibration.status == "not measured"
        assert (model.flash_attn, model.options.n_ubatch) == (True, 512)  # the defaults until measured
        assert model.start_calibration(budget_seconds=BUDGET)
        # a request arriving meanwhile is served (the calibration pauses) and is unaffected by it
        messages = [{"role": "user", "content": "Say hello."}]
        first = "".join(model.stream(messages, max_tokens=8))
        assert first.strip()
        deadline = time.monotonic() + BUDGET * 4
        while model.calibration.running and time.monotonic() < deadline:
            time.sleep(0.2)
        report = model.calibration_report()
        assert report["status"] == "measured", report
        measured = report["measured"]
        runs = measured["runs"]
        short, deep = measured["depths"]
        assert short == cal.SHORT_DEPTH and deep > short
        full = {r["flash_attn"]: r for r in runs if r["decode_tps"]}
        assert set(full) == {True, False}  # flash attention measured on and off
        for r in full.values():
            assert r["prompt_tps"] > 0
            assert set(r["decode_tps"]) == {str(cal.TINY_DEPTH), str(short), str(deep)}
            assert all(v > 0 for v in r["decode_tps"].values())
        ubatch = [r for r in runs if not r["decode_tps"]]
        assert [r["n_ubatch"] for r in ubatch] == [256] and ubatch[0]["prompt_tps"] > 0
        choice = measured["choice"]
        # the running engine switched to the choice, and still answers the same
        assert report["in_use"]["flash_attn"] == choice["flash_attn"]
        assert report["in_use"]["n_ubatch"] == choice["n_ubatch"]
        assert report["in_use"]["short_below"] == choice["short_below"]
        assert report["in_use"]["prefill_flash_attn"] == (choice["prefill_flash_attn"] if choice["prefill_flash_attn"]
                                                          is not None else choice["flash_attn"])
        again = "".join(model.stream(messages, max_tokens=8))
        assert again.strip()
    finally:
        model.close()

    # next load: the cached choice, no new measurement
    cached = load_model(default_model_path, LoadOptions(n_ctx=N_CTX, calibration="background"))
    try:
        assert cached.calibration.status == "cached" and not cached.calibration.running
        assert (cached.flash_attn, cached.options.n_ubatch) == (choice["flash_attn"], choice["n_ubatch"])
    finally:
        cached.close()

    # the user's explicit choice wins over the measurement
    mine = load_model(default_model_path, LoadOptions(n_ctx=N_CTX, flash_attn=not choice["flash_attn"], n_ubatch=128))
    try:
        assert (mine.flash_attn, mine.options.n_ubatch) == (not choice["flash_attn"], 128)
        rep = mine.calibration_report()
        assert rep["explicit"]["flash_attn"] and rep["measured"]["choice"] == choice
    finally:
        mine.close()

    # calibration "off": the built-in defaults even with a profile cached
    off = load_model(default_model_path, LoadOptions(n_ctx=N_CTX, calibration="off"))
    try:
        assert (off.flash_attn, off.options.n_ubatch) == (True, 512)
    finally:
        off.close()


def test_a_new_measurement_is_chosen_against_the_built_in_default_not_the_last_choice(default_model_path, data_dir):
    # a cached choice of flash attention off (say, from a noisy first run) must not become the
    # baseline a re-measurement has to beat by the margin
    m = load_model(default_model_path, LoadOptions(n_ctx=N_CTX, calibration="off"))
    try:
        cached_off = cal.Choice(flash_attn=False, n_threads=m.n_threads, n_ubatch=512, n_gpu_layers=0, reason="test")
        m.apply_choice(cached_off)
        assert m.default_run().flash_attn is False  # what runs now
        assert m.builtin_run().flash_attn is True  # what a measurement is chosen against
    finally:
        m.close()
    mine = load_model(default_model_path, LoadOptions(n_ctx=N_CTX, calibration="off", flash_attn=False, n_threads=1))
    try:
        b = mine.builtin_run()
        assert (b.flash_attn, b.n_threads) == (False, 1)  # the user's own settings stay the baseline
    finally:
        mine.close()
