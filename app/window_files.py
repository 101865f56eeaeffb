"""The window's file commands: open a file into the editor, save, save as, ask about unsaved
text, offer a kept draft back. Mixed into MainWindow (app/main_window.py), which owns the editor,
the banner, the drafts keeper and the `_file_read` / `file_opened` signals."""

from __future__ import annotations

from pathlib import Path

from .qt import QFileDialog, QMessageBox

EDIT_FILTER = "Text (*.txt);;Markdown (*.md *.markdown);;Word (*.docx);;All files (*)"
SAVE_FILTER = "Text (*.txt);;Markdown (*.md);;Word (*.docx)"


class FileCommands:
    def ask_unsaved(self) -> str:
        """"save" | "discard" | "cancel" for closing with unsaved text."""
        name = Path(self.file_path).name if self.file_path else "Your text"
        box = QMessageBox(QMessageBox.Icon.Question, "Unsaved text", f"{name} has changes that are not saved.",
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self)
        box.setInformativeText("Save them before closing?")
        answer = box.exec()
        return {QMessageBox.StandardButton.Save: "save",
                QMessageBox.StandardButton.Discard: "discard"}.get(QMessageBox.StandardButton(answer), "cancel")

    def open_text_file(self) -> None:
        if self.isWindowModified() and self.editor.text().strip():
            choice = self.ask_unsaved()
            if choice == "cancel" or (choice == "save" and not self.save()):
                return
        path, _ = QFileDialog.getOpenFileName(self, "Open", "", EDIT_FILTER)
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> None:
        """Read the file in a helper thread (a document is read in its own child process with
        limits; it can take a while) and put it in the editor; `file_opened(ok)` follows."""
        import threading

        self.open_text_act.setEnabled(False)
        self.statusBar().showMessage(f"Opening {Path(path).name}…")

        def work() -> None:
            from engine.editor_files import read_for_editor
            from engine.errors import HushwriteError

            try:
                self._file_read.emit(path, read_for_editor(path), "")
            except HushwriteError as exc:
                self._file_read.emit(path, None, str(exc))
            except Exception as exc:  # noqa: BLE001 - never a traceback in the window
                self._file_read.emit(path, None, f"{type(exc).__name__}: {exc}")

        threading.Thread(target=work, name="hushwrite-open", daemon=True).start()

    def _on_file_read(self, path: str, text, problem: str) -> None:
        self.open_text_act.setEnabled(True)
        self.statusBar().clearMessage()
        if text is None:
            self.banner.show_message(f"Could not open {Path(path).name}: {problem}", kind="error",
                                     action="Choose another file…", on_action=self.open_text_file)
            self.banner.kind = "file"
            self.file_opened.emit(False)
            return
        self.editor.set_text(text)
        self._set_file(path)
        self.file_opened.emit(True)

    def save(self) -> bool:
        if not self.file_path:
            return self.save_as()
        return self.save_to(self.file_path)

    def save_as(self) -> bool:
        path, chosen = QFileDialog.getSaveFileName(self, "Save as", self.file_path or "untitled.txt", SAVE_FILTER)
        if not path:
            return False
        if not Path(path).suffix:
            path += ".docx" if "docx" in chosen else ".md" if "Markdown" in chosen else ".txt"
        return self.save_to(path)

    def save_to(self, path: str) -> bool:
        from engine.editor_files import save_from_editor
        from engine.errors import HushwriteError

        try:
            save_from_editor(path, self.editor.text())
        except HushwriteError as exc:
            self.banner.show_message(f"Not saved: {exc}. Your text is still here.", kind="error",
                                     action="Save as…", on_action=self.save_as)
            self.banner.kind = "file"
            return False
        self._set_file(path)
        self.drafts.discard()
        self.statusBar().showMessage(f"Saved {Path(path).name}.", 3000)
        return True

    def _set_file(self, path: str) -> None:
        self.file_path = str(path)
        self.drafts.path = self.file_path
        self.editor.document().setModified(False)
        self.setWindowTitle(f"{Path(path).name}[*] — Hushwrite")

    def _offer_draft(self, text: str, path: str, when: str) -> None:
        def restore() -> None:
            self.editor.set_text(text)
            self.file_path = path
            self.drafts.path = path
            self.setWindowTitle(f"{Path(path).name if path else 'Restored draft'}[*] — Hushwrite")
            self.editor.document().setModified(True)
            self.banner.hide()

        stamp = when.replace("T", " ")[:16]
        self.banner.show_message(f"Text you had not saved ({len(text.split())} words, {stamp} UTC) was kept.",
                                 kind="info", action="Restore", on_action=restore)
        self.banner.kind = "draft"

    def _drafts_not_kept(self, message: str) -> None:
        if self.banner.isVisible():
            return
        self.banner.show_message(message, kind="info", action="Create or unlock the store…",
                                 on_action=self.open_unlock)
        self.banner.kind = "store"
