"""What the store keeps: tool-run history, dictionary, style profile, summarize cache, settings.

`Records` is mixed into `Store`; it expects `self.db` (sqlite_utils.Database) and
`self.writing()` (a write-transaction context manager).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from engine.store.errors import StoreError
from engine.store.migrations import now

MAX_WORD = 100
MAX_TONE = 40
CACHE_MAX_ENTRIES = 20_000


def _json(value: Any, what: str) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError) as exc:
        raise StoreError(f"{what} must be JSON-serialisable ({exc}).") from exc


def _clean_word(word: str) -> str:
    word = (word or "").strip()
    if not word:
        raise StoreError("A dictionary word cannot be empty.")
    if len(word) > MAX_WORD or any(ch in word for ch in "\n\r\t") or not word.isprintable():
        raise StoreError(f"A dictionary entry is one word or short phrase on one line (at most {MAX_WORD} characters).")
    return word


def _clean_tone(tone: str | None) -> str | None:
    if tone is None:
        return None
    tone = tone.strip()
    if not tone:
        return None
    if len(tone) > MAX_TONE or not tone.isprintable():
        raise StoreError(f"A tone is a short name on one line (at most {MAX_TONE} characters), e.g. 'friendly'.")
    return tone


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _run_row(row: dict) -> dict:
    row = dict(row)
    row["timings"] = json.loads(row.get("timings") or "{}")
    row["accepted_edits"] = json.loads(row.get("accepted_edits") or "[]")
    return row


class Records:
    # --- history of tool runs ----------------------------------------------------

    def add_run(self, tool: str, input: str, output: str, *, kind: str | None = None, model: str | None = None,
                timings: dict | None = None, accepted_edits: list | None = None) -> int:
        """Record one tool run; returns its id."""
        if not tool or not isinstance(input, str) or not isinstance(output, str):
            raise StoreError("A history entry needs a tool name, the input text and the output text.")
        row = {
            "uid": uuid.uuid4().hex,
            "created_at": now(),
            "tool": tool,
            "kind": kind,
            "model": model,
            "input": input,
            "output": output,
            "timings": _json(timings or {}, "timings"),
            "accepted_edits": _json(accepted_edits or [], "accepted edits"),
        }
        with self.writing() as db:
            cursor = db.execute(
                "INSERT INTO history (uid, created_at, tool, kind, model, input, output, timings, accepted_edits) "
                "VALUES (:uid, :created_at, :tool, :kind, :model, :input, :output, :timings, :accepted_edits)", row)
            return cursor.lastrowid

    def set_accepted_edits(self, run_id: int, accepted_edits: list) -> bool:
        """Record which edits the user kept, once they have reviewed a run; False if no such run."""
        with self.writing() as db:
            cursor = db.execute("UPDATE history SET accepted_edits = ? WHERE id = ?",
                                [_json(accepted_edits, "accepted edits"), run_id])
            return cursor.rowcount > 0

    def history(self, limit: int = 20, search: str | None = None, tool: str | None = None) -> list[dict]:
        """Newest runs first, optionally only those whose input or output contains `search` (case-insensitive for ASCII)."""
        if limit < 1:
            raise StoreError("The history limit must be at least 1.")
        where, params = [], []
        if search:
            where.append("(input LIKE ? ESCAPE '\\' OR output LIKE ? ESCAPE '\\')")
            params += [_like(search), _like(search)]
        if tool:
            where.append("tool = ?")
            params.append(tool)
        sql = "SELECT * FROM history" + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY id DESC LIMIT ?"
        with self.reading():
            return [_run_row(row) for row in self.db.query(sql, params + [limit])]

    def search_history(self, text: str, limit: int = 20) -> list[dict]:
        return self.history(limit=limit, search=text)

    def get_run(self, run_id: int) -> dict | None:
        with self.reading():
            rows = list(self.db.query("SELECT * FROM history WHERE id = ?", [run_id]))
        return _run_row(rows[0]) if rows else None

    # --- personal dictionary --------------------------------------------------------

    def dict_add(self, word: str) -> bool:
        """Add a word proofreading must never change; False if it was already there."""
        word = _clean_word(word)
        with self.writing() as db:
            cursor = db.execute("INSERT OR IGNORE INTO dictionary (word, added_at) VALUES (?, ?)", [word, now()])
            return cursor.rowcount > 0

    def dict_remove(self, word: str) -> bool:
        word = _clean_word(word)
        with self.writing() as db:
            return db.execute("DELETE FROM dictionary WHERE word = ?", [word]).rowcount > 0

    def dictionary_words(self) -> list[str]:
        """Every dictionary word, sorted case-insensitively. Proofreading keeps these as written."""
        with self.reading():
            words = [row["word"] for row in self.db.query("SELECT word FROM dictionary")]
        return sorted(words, key=lambda w: (w.casefold(), w))

    dict_list = dictionary_words

    # --- style profile -------------------------------------------------------------

    def style_profile(self) -> dict:
        """{"text": how the user writes (free text, may be ""), "tone": preferred tone or None}."""
        with self.reading():
            rows = list(self.db.query("SELECT text, tone FROM style_profile WHERE id = 1"))
        return {"text": rows[0]["text"], "tone": rows[0]["tone"]} if rows else {"text": "", "tone": None}

    def set_style_profile(self, text: str | None = None, tone: str | None = None, *, clear_tone: bool = False) -> dict:
        """Change the text, the tone or both (None leaves one as it is); returns the new profile."""
        with self.writing() as db:
            current = self.style_profile()
            new_text = current["text"] if text is None else text.strip()
            new_tone = None if clear_tone else (_clean_tone(tone) if tone is not None else current["tone"])
            db.execute("INSERT OR REPLACE INTO style_profile (id, text, tone, updated_at) VALUES (1, ?, ?, ?)",
                       [new_text, new_tone, now()])
        return {"text": new_text, "tone": new_tone}

    # --- summarize cache (chunk hash -> summary) -------------------------------------

    def cache_get(self, key: str) -> str | None:
        with self.reading():
            rows = list(self.db.query("SELECT value FROM summary_cache WHERE key = ?", [key]))
        return rows[0]["value"] if rows else None

    def cache_put(self, key: str, value: str) -> None:
        """Keep a summary; the oldest entries go once there are more than CACHE_MAX_ENTRIES."""
        with self.writing() as db:
            db.execute("INSERT OR REPLACE INTO summary_cache (key, value, created_at) VALUES (?, ?, ?)", [key, value, now()])
            db.execute("DELETE FROM summary_cache WHERE rowid <= (SELECT max(rowid) FROM summary_cache) - ?",
                       [CACHE_MAX_ENTRIES])

    # --- drafts (the editor's unsaved text) ---------------------------------------------

    def save_draft(self, text: str, path: str | None = None, name: str = "editor") -> None:
        with self.writing() as db:
            db.execute("INSERT OR REPLACE INTO drafts (name, text, path, updated_at) VALUES (?, ?, ?, ?)",
                       [name, text, path, now()])

    def draft(self, name: str = "editor") -> dict | None:
        """{"text", "path", "updated_at"} of the kept draft, or None."""
        with self.reading():
            rows = list(self.db.query("SELECT text, path, updated_at FROM drafts WHERE name = ?", [name]))
        return dict(rows[0]) if rows else None

    def clear_draft(self, name: str = "editor") -> None:
        with self.writing() as db:
            db.execute("DELETE FROM drafts WHERE name = ?", [name])

    # --- personal settings (JSON values) ------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        with self.reading():
            rows = list(self.db.query("SELECT value FROM settings WHERE key = ?", [key]))
        return json.loads(rows[0]["value"]) if rows else default

    def set_setting(self, key: str, value: Any) -> None:
        encoded = _json(value, f"setting {key!r}")
        with self.writing() as db:
            db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", [key, encoded])

    def delete_setting(self, key: str) -> bool:
        with self.writing() as db:
            return db.execute("DELETE FROM settings WHERE key = ?", [key]).rowcount > 0

    def settings(self) -> dict:
        with self.reading():
            return {row["key"]: json.loads(row["value"]) for row in self.db.query("SELECT key, value FROM settings")}

    # --- counts, for `store info` -------------------------------------------------------

    def counts(self) -> dict[str, int]:
        with self.reading():
            return {t: self.db[t].count for t in ("history", "dictionary", "summary_cache", "settings", "tools")}
