"""Settings ▸ Engine: where the model runs. "This computer" (the default) or "My server" (a
llama-server, Ollama or vLLM the user runs): URL, optional API key, model name, slots, and a Test
button that connects and shows the server's model and speed.

The URL, model and slots go in the settings file; the API key goes to the system keyring (or the
encrypted store when there is no keyring), never the settings file. Nothing here touches the
network except the Test button and saving a "My server" choice (which checks the URL's rules).
"""

from __future__ import annotations

import threading
from dataclasses import replace

from ..layouts import CANCEL, ERROR_STYLE, SAVE, column, dialog_buttons, note_label
from ..qt import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QObject,
    QPushButton,
    QSpinBox,
    QWidget,
    Signal,
)
from ..settings import Settings

THIS_COMPUTER = "local"
MY_SERVER = "server"
WARN_STYLE = "color: #b9770e"


def engine_location(settings: Settings) -> str:
    """What the status bar and the tray say: "on this computer" or "on <host>" (no network)."""
    if not settings.engine_url:
        return "on this computer"
    from engine.remote.address import parse

    try:
        return parse(settings.engine_url, resolve=lambda host, port: ["127.0.0.1"]).label
    except Exception:
        return "on a server (its URL is not valid)"


def describe_test(result: dict) -> str:
    """One paragraph for the Test button's result (engine.remote.measure's dict)."""
    lines = [
        f"Model: {result['model']} {result['where']}",
        f"Context: {result['context']:,} tokens per request   Slots: {result['slots']}",
        f"Speed: {result['tokens_per_second']:.1f} tokens/s  (first token after {result['first_token_seconds']:.2f} s)",
    ]
    if result.get("mode") != "llama-server":
        lines.append("Token counts are estimates: this server has no tokenize endpoint.")
    return "\n".join(lines)


class _TestRelay(QObject):
    finished = Signal(bool, str)  # ok, text


class EnginePage(QWidget):
    """The Engine settings. `store`: the open personal store (a home for the key without a keyring)."""

    tested = Signal(bool, str)  # emitted after a Test finishes (ok, text shown)

    def __init__(self, settings: Settings, store=None, parent=None):
        super().__init__(parent)
        self._settings = settings
        self._store = store
        self.where = QComboBox()
        self.where.setObjectName("engineWhere")
        self.where.addItem("This computer (nothing leaves it)", THIS_COMPUTER)
        self.where.addItem("My server (llama-server, Ollama, vLLM)", MY_SERVER)
        self.url = QLineEdit(settings.engine_url)
        self.url.setObjectName("engineUrl")
        self.url.setPlaceholderText("https://gpu-box.example:8080  or  http://192.168.1.20:11434")
        self.key = QLineEdit()
        self.key.setObjectName("engineKey")
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setPlaceholderText("optional; kept in the system keyring, never in the settings file")
        self.model = QLineEdit(settings.engine_model)
        self.model.setObjectName("engineModel")
        self.model.setPlaceholderText("the server's model name (empty: its first)")
        self.slots = QSpinBox()
        self.slots.setObjectName("engineSlots")
        self.slots.setRange(0, 64)
        self.slots.setSpecialValueText("as many as the server has (else 4)")
        self.slots.setValue(settings.engine_slots)
        self.test_button = QPushButton("Test")
        self.test_button.setObjectName("engineTest")
        self.test_button.clicked.connect(self.run_test)
        self.status = note_label(name="engineStatus")
        self.warning = note_label(style=WARN_STYLE, name="engineWarning")

        form = QFormLayout()
        form.addRow("Run the model on", self.where)
        form.addRow("Server URL", self.url)
        form.addRow("API key", self.key)
        form.addRow("Model", self.model)
        form.addRow("Requests at once", self.slots)
        row = QHBoxLayout()
        row.addWidget(self.test_button)
        row.addStretch(1)
        column(self, form, self.warning, row, self.status).addStretch(1)

        self._relay = _TestRelay()
        self._relay.finished.connect(self._show_test)
        self.where.currentIndexChanged.connect(self._update)
        self.url.textChanged.connect(self._update)
        self.where.setCurrentIndex(1 if settings.engine_url else 0)
        self._load_key()
        self._update()

    # -- state ------------------------------------------------------------------------------------
    @property
    def remote(self) -> bool:
        return self.where.currentData() == MY_SERVER

    def _load_key(self) -> None:
        if not self._settings.engine_url:
            return
        from engine.remote.config import load_api_key

        try:
            self.key.setText(load_api_key(self._settings.engine_url, self._store) or "")
        except Exception:
            pass

    def _update(self, *_) -> None:
        for w in (self.url, self.key, self.model, self.slots, self.test_button):
            w.setEnabled(self.remote)
        self.warning.setText("")
        if not self.remote:
            self.status.setText("Your text never leaves this computer.")
            self.status.setStyleSheet("")
            return
        self.status.setText("Only the model calls go to your server; prompts, checks and history stay here.")
        self.status.setStyleSheet("")
        url = self.url.text().strip()
        if url.startswith("http://"):
            self.warning.setText("Plain http: your text is not encrypted on the way. Allowed only to this "
                                 "computer or your private network; use https:// when you can.")

    def validate(self) -> str:
        """"" when the choice can be saved, else what is wrong (plain words). May resolve the
        host name of a plain-http URL (to check it is on a private network)."""
        if not self.remote:
            return ""
        from engine.errors import HushwriteError
        from engine.remote.address import parse

        try:
            parse(self.url.text())
        except HushwriteError as exc:
            return str(exc)
        return ""

    def result_settings(self) -> Settings:
        if not self.remote:
            return replace(self._settings, engine_url="")
        return replace(self._settings, engine_url=self.url.text().strip(), engine_model=self.model.text().strip(),
                       engine_slots=self.slots.value())

    def save_key(self) -> str:
        """Keep the typed key (keyring, else the store); returns where it went ("" when local)."""
        if not self.remote:
            return ""
        from engine.remote.config import save_api_key

        return save_api_key(self.url.text().strip(), self.key.text().strip(), self._store)

    # -- the Test button --------------------------------------------------------------------------
    def run_test(self) -> None:
        problem = self.validate()
        if problem:
            self._show_test(False, problem)
            return
        self.test_button.setEnabled(False)
        self.status.setStyleSheet("")
        self.status.setText("Connecting…")
        url, key = self.url.text().strip(), self.key.text().strip() or None
        model, slots = self.model.text().strip() or None, self.slots.value() or None

        def work():
            from engine.errors import HushwriteError
            from engine.remote import connect, measure

            try:
                m = connect(url, key, model, slots)
                try:
                    text = describe_test(measure(m))
                finally:
                    m.close()
                self._relay.finished.emit(True, text)
            except HushwriteError as exc:
                self._relay.finished.emit(False, str(exc))
            except Exception as exc:  # a bug of ours: still a sentence, never a crash of the dialog
                self._relay.finished.emit(False, f"the test failed: {type(exc).__name__}: {exc}")

        threading.Thread(target=work, name="hushwrite-engine-test", daemon=True).start()

    def _show_test(self, ok: bool, text: str) -> None:
        self.test_button.setEnabled(self.remote)
        self.status.setText(text)
        self.status.setStyleSheet("" if ok else ERROR_STYLE)
        self.tested.emit(ok, text)


class EngineDialog(QDialog):
    """Settings ▸ Engine as its own dialog (Save keeps the choice and the key)."""

    def __init__(self, settings: Settings, store=None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Settings ▸ Engine")
        self.setMinimumWidth(560)
        self.page = EnginePage(settings, store, self)
        self.error = note_label(style=ERROR_STYLE, name="engineError")
        column(self, self.page, self.error, dialog_buttons(self, SAVE, CANCEL))

    def accept(self) -> None:
        from engine.errors import HushwriteError

        problem = self.page.validate()
        if problem:
            self.error.setText(problem)
            return
        try:
            self.page.save_key()
        except HushwriteError as exc:
            self.error.setText(str(exc))
            return
        super().accept()

    def result_settings(self) -> Settings:
        return self.page.result_settings()
