"""Proofreading as you type: underlines in the editor, checked in the background.

After a short pause in typing (PAUSE_MS), a plain Python thread (QThreadPool) splits the text
into sentences and runs the fast model-free check (engine.proofread.quick: spelling, slips,
sure grammar rules) on every sentence it has not seen; the underlines appear at once. Then the
model checks the changed sentences one at a time, nearest the cursor first, through
`ctx.engine.run_task("proofread", sentence, ...)`; its answer replaces the fast one for that
sentence. Results are cached per sentence text, so unchanged text is never checked twice; a
check whose text has changed meanwhile is dropped (fast pass) or cancelled (model job). Nothing
runs while the text is unchanged: no polling timer, so an idle editor costs no CPU.

The UI thread only starts timers, swaps result dicts and paints underlines.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass

from .editor import CATEGORY_COLORS, Issue
from .qt import QObject, QRunnable, QThreadPool, QTimer, Signal

PAUSE_MS = 150  # quiet time after the last keystroke before checking


@dataclass(frozen=True)
class _Snapshot:
    generation: int
    text: str
    personal: tuple[str, ...]


class _Signals(QObject):
    checked = Signal(int, object, object, object)  # generation, sentences, {sentence key: edits}, (names, lowercase)


class _FastCheck(QRunnable):
    """Split the snapshot into sentences and fast-check those not in the cache (worker thread)."""

    def __init__(self, snap: _Snapshot, known: set[tuple], signals: _Signals, current):
        super().__init__()
        self.snap, self.known, self.signals, self.current = snap, known, signals, current

    def run(self) -> None:
        from engine.proofread.quick import document_names, quick_edits, split, writes_lowercase

        if self.current() != self.snap.generation:
            return  # the text changed again before this check started
        units = split(self.snap.text)
        names = document_names(self.snap.text, self.snap.personal)
        lower = writes_lowercase(units)
        found = {}
        for s in units:
            key = (s.text, s.in_markup, s.ends_line, lower)
            if key in self.known or key in found:
                continue
            if self.current() != self.snap.generation:
                return  # stale: a newer check is on its way
            found[key] = quick_edits(s, self.snap.personal, names, lower)
        self.signals.checked.emit(self.snap.generation, units, found, (names, lower))


class LiveChecker(QObject):
    """Live checking for one Editor. `personal()` gives the dictionary words; `add_word(word)`
    stores a word (returns False when it could not). Signals: `count_changed(n)`."""

    count_changed = Signal(int)
    underlined = Signal(str)  # "fast" | "model": an underline pass finished (benchmarks listen)

    def __init__(self, editor, engine, personal=lambda: [], add_word=None, parent=None):
        super().__init__(parent or editor)
        self.editor = editor
        self.engine = engine
        self.personal = personal
        self.add_word = add_word
        self.enabled = True
        self.use_model = True
        self.ignored_words: set[str] = set()
        self.ignored_issues: set[tuple[str, str, str]] = set()  # (sentence, original, replacement)
        self.fast: dict[tuple, list] = {}  # sentence key -> edits from the fast check
        self.model: dict[tuple, list] = {}  # sentence key -> edits from the model's check
        self.units: list = []  # sentences of the current text (from the last fast pass)
        self.names: frozenset[str] = frozenset()
        self.lowercase = False  # the text is written without capitals (names may be lowercase)
        self.issues: list[Issue] = []
        self.job = None
        self.job_key: tuple | None = None
        self._gen = itertools.count(1)
        self.generation = 0
        self.checked_generation = 0
        self.last_edit = 0.0  # perf_counter of the last change (benchmarks measure from it)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _Signals()
        self._signals.checked.connect(self._on_checked)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PAUSE_MS)
        self._timer.timeout.connect(self._start_fast)
        editor.document().contentsChange.connect(self._on_change)
        if hasattr(engine, "busy_changed"):  # the model pass resumes when the user's own job ends
            engine.busy_changed.connect(lambda busy: busy or self._next_model_check())
        if hasattr(engine, "model_state"):
            engine.model_state.connect(lambda state, _detail: state == "ready" and self._next_model_check())
        editor.issue_provider = self
        self._pool.start(_Warmup())  # the spelling index loads before the first pause in typing

    # -- switching --------------------------------------------------------------------------------
    def set_enabled(self, on: bool) -> None:
        self.enabled = bool(on)
        if not on:
            self._timer.stop()
            self.generation = next(self._gen)
            self._cancel_job()
            self.issues = []
            self.editor.show_issues([])
            self.count_changed.emit(0)
        else:
            self.recheck()

    def recheck(self) -> None:
        """Check now (after the dictionary or the ignore list changed)."""
        self.fast.clear()
        self.model.clear()
        self._on_change()

    # -- the fast pass ----------------------------------------------------------------------------
    def _on_change(self, *_args) -> None:
        self.last_edit = time.perf_counter()
        self.generation = next(self._gen)
        if self.enabled:
            self._timer.start()

    def _start_fast(self) -> None:
        personal = tuple(self.personal() or ()) + tuple(sorted(self.ignored_words))
        snap = _Snapshot(self.generation, self.editor.toPlainText(), personal)
        self._pool.start(_FastCheck(snap, set(self.fast), self._signals, lambda: self.generation))

    def _on_checked(self, generation: int, units, found: dict, extra) -> None:
        names, lower = extra
        self.fast.update(found)
        if generation != self.generation or not self.enabled:
            return  # results stay cached; the text they describe is gone
        self.checked_generation = generation
        self.units, self.names, self.lowercase = units, frozenset(names), lower
        self._render("fast")
        self._next_model_check()

    # -- the model pass ---------------------------------------------------------------------------
    def _next_model_check(self) -> None:
        if not self.use_model or not self.enabled or self.job is not None:
            return
        if not getattr(self.engine, "ready", False):
            return
        if getattr(self.engine, "busy", False):
            return  # the user's own job goes first; busy_changed(False) brings us back
        cursor = self._cursor_index()
        todo = [s for s in self.units if self.key(s) not in self.model and len(s.text.split()) >= 2]
        if not todo:
            return
        s = min(todo, key=lambda u: 0 if u.start <= cursor <= u.end else min(abs(u.start - cursor), abs(u.end - cursor)))
        personal = list(self.personal() or ()) + sorted(self.ignored_words) + sorted(self.names)
        self.job_key = self.key(s)
        self.job = self.engine.run_task("proofread", s.text, dictionary=personal)
        self.job.finished.connect(lambda result, key=self.job_key: self._on_model(key, result.edits))
        self.job.failed.connect(lambda _msg, key=self.job_key: self._on_model(key, None))
        self.job.cancelled.connect(lambda: self._on_model(None, None))

    def _on_model(self, key, edits) -> None:
        self.job, self.job_key = None, None
        if key is not None:
            self.model[key] = list(edits) if edits is not None else self.fast.get(key, [])
            if any(self.key(s) == key for s in self.units) and self.checked_generation == self.generation:
                self._render("model")
        if self.checked_generation == self.generation:
            self._next_model_check()

    def _cancel_job(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def _cursor_index(self) -> int:
        from .editor import from_qt

        return from_qt(self.editor.toPlainText(), self.editor.textCursor().position())

    # -- issues -----------------------------------------------------------------------------------
    def _render(self, stage: str) -> None:
        issues = []
        live_keys = set()
        for s in self.units:
            key = self.key(s)
            live_keys.add(key)
            edits = self.model.get(key, self.fast.get(key, []))
            for e in _fit(s, edits):
                if e.original.lower() in self.ignored_words or (s.text, e.original, e.replacement) in self.ignored_issues:
                    continue
                issues.append(Issue(s.start + e.start, s.start + e.end, e.original, e.replacement, e.category, e.reason,
                                    s.text, stage="model" if key in self.model else "fast"))
        if self.job_key is not None and self.job_key not in live_keys:
            self._cancel_job()  # the sentence it checks is gone
        if issues != self.issues or len(issues) != len(self.editor.extraSelections()):
            self.editor.show_issues(issues)  # repaint only when the underlines changed
        self.issues = issues
        self.count_changed.emit(len(issues))
        self.underlined.emit(stage)

    def key(self, s) -> tuple:
        """A sentence's cache key: its text, where it stands, and how the document writes names."""
        return (s.text, s.in_markup, s.ends_line, self.lowercase)

    def issue_at(self, index: int) -> Issue | None:
        for i in self.issues:
            if i.start <= index < i.end or (i.start == i.end and abs(index - i.start) <= 1):
                return i
        return None

    def accept(self, issue: Issue) -> bool:
        """Apply one suggestion (one undo step); False when the text no longer matches it."""
        text = self.editor.toPlainText()
        if text[issue.start : issue.end] != issue.original:
            return False
        self.editor.replace_quietly(issue.start, issue.end, issue.replacement)
        return True

    def ignore(self, issue: Issue) -> None:
        if issue.category == "spelling" and issue.original.strip():
            self.ignored_words.add(issue.original.strip().lower())
        self.ignored_issues.add((issue.sentence, issue.original, issue.replacement))
        self._render("fast")

    def add_to_dictionary(self, issue: Issue) -> bool:
        word = issue.original.strip()
        if not word:
            return False
        stored = bool(self.add_word(word)) if self.add_word else False
        self.ignored_words.add(word.lower())  # this session at least, even without a store
        self.recheck()
        return stored

    def shutdown(self) -> None:
        self.enabled = False
        self._timer.stop()
        self._cancel_job()
        self._pool.clear()
        self._pool.waitForDone(2000)




def _fit(s, edits) -> list:
    """Model edits were made on the sentence alone: drop what only holds for a lone sentence
    (a capital for a list item, a full stop where the line goes on)."""
    out = []
    for e in edits:
        if s.in_markup and e.category == "capitalization" and e.start == 0:
            continue
        if not s.ends_line and e.start == e.end == len(s.text) and e.original == "":
            continue
        out.append(e)
    return out


def attach(window) -> LiveChecker:
    """Live checking for a MainWindow: the checker, a status count ("3 suggestions") and a
    "Check as you type" switch in the Tools menu, remembered in the settings."""
    from .qt import QAction, QLabel

    ctx = window.ctx

    def add_word(word: str) -> bool:
        if ctx.store is None:
            return False
        ctx.store.dict_add(word)
        return True

    live = LiveChecker(window.editor, ctx.engine, ctx.dictionary_words, add_word, parent=window)
    label = QLabel()
    label.setObjectName("liveCount")
    window.statusBar().addPermanentWidget(label)
    live.count_changed.connect(lambda n: label.setText("" if not live.enabled else
                                                       f"{n} suggestion{'s' if n != 1 else ''}" if n else "No suggestions"))
    switch = QAction("Check as you &type", window)
    switch.setObjectName("liveCheckSwitch")
    switch.setCheckable(True)
    switch.setChecked(bool(getattr(ctx.settings, "live_check", True)))
    switch.setStatusTip("Underline spelling and grammar while you write")

    def toggle(on: bool) -> None:
        live.set_enabled(on)
        label.setVisible(on)
        if hasattr(ctx.settings, "live_check") and ctx.settings.live_check != on:
            ctx.settings.live_check = on
            try:
                ctx.settings.save()
            except OSError:
                pass

    switch.toggled.connect(toggle)
    for action in window.menuBar().actions():
        if action.menu() is not None and action.text().replace("&", "") == "Tools":
            action.menu().addSeparator()
            action.menu().addAction(switch)
    window.addAction(switch)
    window.live_switch = switch
    window.live_label = label
    if not switch.isChecked():
        toggle(False)
    return live


class _Warmup(QRunnable):
    def run(self) -> None:
        from engine.proofread.spelling import speller

        speller()


__all__ = ["CATEGORY_COLORS", "LiveChecker", "PAUSE_MS"]
