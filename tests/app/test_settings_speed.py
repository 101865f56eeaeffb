"""Settings shows the speed measured on this machine, and Re-measure runs `hushwrite doctor` in a
child process."""

from __future__ import annotations

from app.dialogs.settings import SettingsDialog, doctor_command
from app.settings import Settings
from engine import calibrate as cal


def _save_profile_for(model_path) -> cal.Profile:
    """A cached calibration for the real default model on this CPU and llama.cpp build."""
    model_id, build, cpu = cal.model_identity(model_path), cal.build_identity(), cal.cpu_identity()
    runs = [cal.Run(flash_attn=True, n_threads=2, prompt_tps=131.0, decode_tps={200: 47.5, 1500: 18.2}),
            cal.Run(flash_attn=False, n_threads=2, prompt_tps=127.0, decode_tps={200: 49.0, 1500: 36.9}),
            cal.Run(flash_attn=False, n_threads=2, n_ubatch=256, prompt_tps=119.0)]
    choice = cal.choose(runs, runs[0])
    profile = cal.new_profile(cal.cache_key(model_id, build, cpu), model_id, build, cpu, runs, choice, [200, 1500], 7.5)
    cal.save_profile(profile)
    return profile


def test_settings_show_the_cached_measurement_and_the_choice(qtbot, app_data_dir, default_model_path):
    _save_profile_for(default_model_path)
    dlg = SettingsDialog(Settings())
    qtbot.addWidget(dlg)
    text = dlg.speed.text()
    assert "flash attention on, 2 threads, batch 512: reading 131, writing 47.5 at 200 tokens of context, 18.2 at 1500" in text
    assert "flash attention off, 2 threads, batch 256: reading 119" in text
    assert text.endswith("Chosen: flash attention off, 2 threads, batch 512")
    assert dlg.flash.currentData() == "auto" and dlg.result_settings().load_options()["flash_attn"] is None


def test_remeasure_runs_doctor_in_a_child_process_and_shows_its_report(qtbot, app_data_dir, default_model_path):
    profile = _save_profile_for(default_model_path)
    dlg = SettingsDialog(Settings())
    qtbot.addWidget(dlg)
    dlg.speed.setText("")
    # without --remeasure the child reports the cached measurement (the button adds --remeasure)
    assert "--remeasure" in doctor_command("", remeasure=True) and "--remeasure" not in doctor_command("", remeasure=False)
    dlg.measure(remeasure=False)
    assert not dlg.remeasure.isEnabled()
    qtbot.waitUntil(lambda: dlg.remeasure.isEnabled(), timeout=120_000)
    assert dlg.speed.text().startswith("Measured ") and "Chosen: flash attention off" in dlg.speed.text()
    assert f"in {profile.seconds:.1f} s" in dlg.speed.text()


def test_a_failed_measurement_says_why(qtbot, app_data_dir, tmp_path):
    bogus = tmp_path / "broken.gguf"
    bogus.write_bytes(b"not a model" * 50)
    dlg = SettingsDialog(Settings())
    qtbot.addWidget(dlg)
    dlg.choose_model(str(bogus))
    dlg.measure(remeasure=True)
    qtbot.waitUntil(lambda: dlg.remeasure.isEnabled(), timeout=120_000)
    assert dlg.speed.text().startswith("Not measured: ") and "broken.gguf" in dlg.speed.text()


def test_settings_say_when_long_prompts_are_read_with_the_other_setting():
    from app.dialogs.settings import describe_speed

    runs = [cal.Run(flash_attn=True, n_threads=2, prompt_tps=330.0, decode_tps={200: 47.5, 1500: 18.2}),
            cal.Run(flash_attn=False, n_threads=2, prompt_tps=300.0, decode_tps={200: 49.0, 1500: 36.9})]
    choice = cal.choose(runs, runs[0])
    measured = cal.new_profile("k", {}, {}, {}, runs, choice, [200, 1500], 7.5).as_dict()
    text = describe_speed(measured)
    assert text.endswith("Chosen: flash attention off, 2 threads, batch 512; long prompts read with flash attention on")
