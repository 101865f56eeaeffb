"""Nothing typed is lost: the editor's text is autosaved into the encrypted store.

    keeper = DraftKeeper(ctx, editor)
    keeper.save_now()          # before each tool run (the window calls it)
    keeper.restorable          # emits (text, path, when) when the store holds a draft to offer back
    keeper.discard()           # after Save or an explicit "Discard": the file has it / the user chose

A save runs a few seconds after typing stops, in a helper thread (the UI thread never waits on
the store). Drafts go only into the encrypted store, never into a plaintext file; without a
store, `notice` fires once so the window can say that drafts are not kept and offer to create
the store.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from .qt import QObject, QTimer, Signal

AUTOSAVE_DELAY_MS = 2000


class DraftKeeper(QObject):
    restorable = Signal(str, str, str)  # text, path ("" if none), when (ISO time)
    notice = Signal(str)  # once per run: why drafts are not kept
    saved = Signal()  # a draft reached the store (tests and the status bar listen)
    _found = Signal(object)

    def __init__(self, ctx, editor, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.editor = editor
        self.path = ""  # the file the editor text belongs to, if any
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hushwrite-drafts")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_DELAY_MS)
        self._timer.timeout.connect(self.save_now)
        self._noticed = False
        self._offered = False
        self._closed = False
        self._last_saved: str | None = None
        self._found.connect(self._offer)
        editor.textChanged.connect(self._typed)
        ctx.store_changed.connect(self._store_state)
        if ctx.store_state == "open":
            self._store_state("open", "")

    # -- saving -----------------------------------------------------------------------------------
    def _typed(self) -> None:
        self._timer.start()

    def save_now(self) -> None:
        """Keep the current text now (in the helper thread)."""
        self._timer.stop()
        text = self.editor.text()
        store = self.ctx.store
        if store is None:
            if text.strip() and not self._noticed and self.ctx.store_state in ("none", "locked", "error"):
                self._noticed = True
                self.notice.emit("Drafts are not kept: there is no unlocked personal store. "
                                 "Create or unlock it to have your text kept between runs.")
            return
        if text == self._last_saved:
            return
        self._last_saved = text
        path = self.path or None
        self._pool.submit(self._write, store, text, path)

    def _write(self, store, text: str, path) -> None:
        try:
            if text.strip():
                store.save_draft(text, path)
            else:
                store.clear_draft()
        except Exception:  # noqa: BLE001 - the store reports its own state; typing goes on
            self._last_saved = None
            return
        self.saved.emit()

    def discard(self) -> None:
        """The text is safe elsewhere (saved to a file) or the user chose to drop it."""
        self._timer.stop()
        self._last_saved = self.editor.text()
        store = self.ctx.store
        if store is not None:
            self._pool.submit(lambda: _quietly(store.clear_draft))

    def flush(self, timeout: float = 5.0) -> None:
        """Wait for pending writes (at quit, or when its window closes: then it offers nothing more)."""
        self._closed = True
        self._pool.shutdown(wait=True)

    # -- restoring --------------------------------------------------------------------------------
    def _store_state(self, state: str, _detail: str) -> None:
        if state != "open" or self._offered or self._closed or self.ctx.store is None:
            return
        self._offered = True
        store = self.ctx.store
        self._pool.submit(lambda: self._found.emit(_quietly(store.draft)))

    def _offer(self, draft) -> None:
        if not draft or not draft.get("text", "").strip():
            return
        if draft["text"] == self.editor.text():
            return
        self.restorable.emit(draft["text"], draft.get("path") or "", draft.get("updated_at") or "")


def _quietly(fn):
    try:
        return fn()
    except Exception:  # noqa: BLE001
        return None
