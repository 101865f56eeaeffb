"""AppContext: the one app-wide object (settings, engine service, personal store).

The main window and the tray both take an AppContext; neither owns the model or the store.

    ctx = AppContext(args)            # cheap: no model, no store opened yet
    ctx.start()                       # after the first window is shown: load the model, open the store
    job = ctx.run("proofread", text)  # adds the dictionary / style profile, records history on success
    job = ctx.run_tool(ctx.tool("friendly"), text)  # any tool of ctx.registry() (the user's own too)
    ctx.registry()                    # engine.tools.Registry: built-ins + the user's tools (+ tools_changed)
    ctx.engine                        # the EngineService (signals: model_state, busy_changed)
    ctx.store_state                   # "none" | "open" | "locked" | "disabled" | "error"  (+ store_changed)
"""

from __future__ import annotations

import argparse
import threading
from pathlib import Path
from typing import Any

from .engine_service import EngineService, Job
from .qt import QObject, Signal
from .settings import DEFAULT_TOOL, Settings


class AppContext(QObject):
    store_changed = Signal(str, str)  # state, detail (reason or path)
    settings_changed = Signal()
    history_changed = Signal()
    tools_changed = Signal()  # the user's tools changed, or the store that keeps them opened/closed
    _store_opened = Signal(object)  # (store or None, state, detail) from the helper thread
    _unlocked = Signal(object, object)  # (store or None, error or None), callback

    def __init__(self, args: argparse.Namespace | None = None, settings: Settings | None = None, parent=None):
        super().__init__(parent)
        self.args = args or argparse.Namespace()
        self.settings = settings or Settings.load()
        self.engine = EngineService(self)
        self.store = None
        self.store_state = "none"
        self.store_detail = ""
        self._loaded_key: tuple | None = None
        self._registry = None
        self._store_opened.connect(self._on_store_opened)
        self._unlocked.connect(self._on_unlocked)

    # -- lifecycle --------------------------------------------------------------------------------
    def start(self) -> None:
        """Load the model in the background and open the store (if it opens without asking)."""
        self.load_model()
        self.open_store()

    def shutdown(self) -> None:
        self.engine.shutdown()
        self.close_store()

    # -- model ------------------------------------------------------------------------------------
    def load_model(self, force: bool = False) -> None:
        """Load the chosen model; `force` also loads one that crashed the runtime twice."""
        s = self.settings
        override = getattr(self.args, "model", None)
        options = s.load_options()
        if s.engine_url and not override:  # the user's own server; its key comes from the keyring/store
            options["remote"] = {"url": s.engine_url, "model": s.engine_model, "slots": s.engine_slots,
                                 "store": self.store}
        self.engine.load(override or s.model_path or None, options, force=force)
        self._loaded_key = s.model_key()

    def apply_settings(self, new: Settings) -> None:
        """Save new settings; reload the model only when something it depends on changed."""
        reload = new.model_key() != self._loaded_key
        self.settings = new
        new.save()
        if hasattr(self.args, "model"):
            self.args.model = None  # the user chose in Settings: the command-line override is spent
        if reload:
            self.load_model()
        self.settings_changed.emit()

    # -- tools ------------------------------------------------------------------------------------
    def registry(self):
        """Every tool: the built-ins and, while the store is open, the user's own."""
        if self._registry is None:
            from engine.tools import registry

            self._registry = registry(self.store)
        return self._registry

    def tool(self, key: str):
        """A tool by its key (what the tray settings keep); an unknown key gives Proofread."""
        reg = self.registry()
        return reg.get(key) or reg.get(DEFAULT_TOOL)

    def _tools_changed(self) -> None:
        self._registry = None
        self.tools_changed.emit()

    def save_user_tool(self, tool, replacing: str | None = None) -> None:
        """Keep a checked engine.tools.user.UserTool in the store (raises the store's error)."""
        self.store.save_user_tool(tool.name, tool.instruction, tool.kind, tool.shortcut, replacing=replacing)
        self._tools_changed()

    def delete_user_tool(self, name: str) -> None:
        self.store.delete_user_tool(name)
        self._tools_changed()

    # -- tasks ------------------------------------------------------------------------------------
    def run(self, tool: str, text: str = "", **params: Any) -> Job:
        """Run a task with the user's dictionary and style; successful results go to history."""
        self._add_context(tool, params)
        return self._watch(self.engine.run_task(tool, text, **params))

    def run_tool(self, spec, text: str = "", **params: Any) -> Job:
        """Run one of the registry's tools the same way (`instruction` for one that asks)."""
        self._add_context(spec.task, params)
        return self._watch(self.engine.run_tool(spec, text, **params))

    def prefill(self, text: str) -> bool:
        """Start the model on `text` while the user picks a tool (app/prefill.py), with the style
        profile rewrite would add, so its prompts start the same way."""
        params: dict = {}
        self._add_context("rewrite", params)
        return self.engine.prefill(text, params.get("style") or "")

    def _add_context(self, task: str, params: dict) -> None:
        """What each task takes from the store (engine.tools Task.context)."""
        for need in self.registry().task(task).context:
            value = CONTEXT[need](self)
            if value is not None:
                params.setdefault(need, value)

    def _watch(self, job: Job) -> Job:
        job.finished.connect(self.record)
        return job

    # -- store ------------------------------------------------------------------------------------
    def _set_store(self, state: str, detail: str = "") -> None:
        self.store_state, self.store_detail = state, detail
        self.store_changed.emit(state, detail)
        self._tools_changed()  # the user's tools come and go with the store

    def open_store(self) -> None:
        """Open the store without blocking: importing its libraries (sqlite-utils, keyring: most of
        a second), fetching the key and opening the encrypted file all happen in a helper thread;
        the result comes back to this thread as a signal."""
        if getattr(self.args, "no_store", False):
            self._set_store("disabled", "started with --no-store")
            return
        threading.Thread(target=self._open_store_in_thread, name="hushwrite-store-open", daemon=True).start()

    def _open_store_in_thread(self) -> None:
        try:
            from engine.store import Store
            from engine.store.errors import NoPassphrase
        except ImportError:
            self._store_opened.emit((None, "disabled", "this version has no personal store"))
            return
        data_dir = getattr(self.args, "data_dir", None)
        fd = getattr(self.args, "passphrase_fd", None)
        try:  # never a terminal prompt from the window
            store = Store.open_if_exists(data_dir=data_dir, passphrase_fd=fd, interactive=False)
        except NoPassphrase:
            store = None  # it exists and needs its passphrase: "locked" below
        except Exception as exc:  # noqa: BLE001 - damaged or busy store: say so, keep working
            self._store_opened.emit((None, "error", str(exc)))
            return
        if store is not None:
            self._store_opened.emit((store, "open", str(getattr(store, "path", ""))))
        elif self.store_file().exists():
            self._store_opened.emit((None, "locked", "the store needs its passphrase"))
        else:
            self._store_opened.emit((None, "none", "no store yet: it is created when you first unlock it"))

    def _on_store_opened(self, outcome) -> None:
        store, state, detail = outcome
        if store is not None:
            self.close_store()
            self.store = store
        self._set_store(state, detail)

    def store_file(self) -> Path:
        from engine import paths

        data_dir = getattr(self.args, "data_dir", None)
        return paths.store_path(data_dir)

    def unlock_store(self, passphrase: str) -> None:
        """Open (or create) the store with a passphrase; raises the store's readable error."""
        from engine.store import Store

        store = Store.open(data_dir=getattr(self.args, "data_dir", None), passphrase=passphrase, interactive=False)
        self.close_store()
        self.store = store
        self._set_store("open", str(getattr(store, "path", "")))

    def unlock_store_async(self, passphrase: str, done) -> None:
        """unlock_store in a helper thread (scrypt takes ~0.5 s); done(error or None) runs in
        this thread afterwards."""
        def work() -> None:
            from engine.store import Store

            try:
                store = Store.open(data_dir=getattr(self.args, "data_dir", None), passphrase=passphrase,
                                   interactive=False)
            except Exception as exc:  # noqa: BLE001 - readable store errors go to the dialog
                self._unlocked.emit((None, exc), done)
                return
            self._unlocked.emit((store, None), done)

        threading.Thread(target=work, name="hushwrite-store-unlock", daemon=True).start()

    def _on_unlocked(self, outcome, done) -> None:
        store, error = outcome
        if store is not None:
            self.close_store()
            self.store = store
            self._set_store("open", str(getattr(store, "path", "")))
        done(error)

    def close_store(self) -> None:
        self._registry = None
        if self.store is not None:
            try:
                self.store.close()
            except Exception:  # noqa: BLE001
                pass
            self.store = None

    def _store_call(self, method: str, *args, default=None, **kwargs):
        """Call a store method; a failure marks the store broken instead of raising into the UI."""
        if self.store is None:
            return default
        try:
            return getattr(self.store, method)(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001
            self._set_store("error", str(exc))
            return default

    def dictionary_words(self) -> list[str]:
        return list(self._store_call("dictionary_words", default=[]) or [])

    def style_text(self) -> str:
        profile = self._store_call("style_profile", default={}) or {}
        return str(profile.get("text") or "")

    def record(self, result) -> None:
        if self.store is None or not getattr(result, "ok", False):
            return
        if hasattr(self.store, "add_history_from_result"):
            run_id = self._store_call("add_history_from_result", result)
        else:
            stats = getattr(result, "stats", None)
            run_id = self._store_call("add_run", result.tool, result.original, result.text,
                                      kind=result.variant or None, model=result.model or None,
                                      timings=stats.as_dict() if stats else None)
        self.last_run_id = run_id
        self.history_changed.emit()

    def record_review(self, result, accepted_edits: list) -> None:
        """After a proofread review: remember which edits the user kept (history shows them)."""
        run_id = getattr(self, "last_run_id", None)
        if self.store is None or run_id is None or getattr(result, "tool", "") != "proofread":
            return
        kept = [e.as_dict() if hasattr(e, "as_dict") else e for e in accepted_edits]
        self._store_call("set_accepted_edits", run_id, kept)

    def history(self, search: str = "", limit: int = 200) -> list[dict]:
        return list(self._store_call("history", limit=limit, search=search or None, default=[]) or [])

    # -- the main window (created on demand: the tray-only mode may never need it) -----------------
    window = None
    tray = None  # the tray controller when app/tray is installed (set by app.main)
    window_factory = None  # set by app.main: a callable returning the MainWindow

    def show_window(self):
        """Create (once) and raise the main window; returns it. The tray calls this for "Open Hushwrite"."""
        if getattr(self, "window", None) is None:
            if self.window_factory is None:
                return None
            self.window = self.window_factory()
        self.window.show()
        self.window.raise_()
        self.window.activateWindow()
        return self.window


CONTEXT = {  # Task.context name -> what the store gives (None: nothing to add)
    "dictionary": lambda ctx: ctx.dictionary_words(),
    "style": lambda ctx: ctx.style_text(),
    "cache": lambda ctx: ctx.store,  # finished summary parts survive a cancel or a crash
}
