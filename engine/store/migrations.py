"""Schema migrations: an ordered list, applied once each and recorded in `schema_migrations`.

Append new migrations at the end; never edit or reorder one that has shipped.
Each runs in its own BEGIN IMMEDIATE transaction, so a kill mid-migration leaves
the store at the previous version, and two processes opening a new store at once
cannot both apply the same step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from engine.store import db as dbmod
from engine.store.errors import StoreTooNew


@dataclass(frozen=True)
class Migration:
    number: int
    name: str
    apply: Callable[[sqlite_utils.Database], None]


def _initial(db: sqlite_utils.Database) -> None:
    db["history"].create(
        {
            "id": int,
            "uid": str,  # stable across export/import, so importing twice adds nothing twice
            "created_at": str,  # ISO 8601, UTC
            "tool": str,  # proofread, rewrite, summarize, …
            "kind": str,  # tone for rewrite, mode for others
            "model": str,
            "input": str,
            "output": str,
            "timings": str,  # JSON object, e.g. {"load_s": 1.2, "generate_s": 3.4}
            "accepted_edits": str,  # JSON list of the edits the user kept
        },
        pk="id",
        not_null={"uid", "created_at", "tool", "input", "output", "timings", "accepted_edits"},
    )
    db["history"].create_index(["uid"], unique=True)
    db["history"].create_index(["created_at"])
    db["dictionary"].create({"word": str, "added_at": str}, pk="word", not_null={"added_at"})
    db["style_profile"].create({"id": int, "text": str, "tone": str, "updated_at": str}, pk="id", not_null={"text"})
    db["summary_cache"].create({"key": str, "value": str, "created_at": str}, pk="key", not_null={"value", "created_at"})
    db["settings"].create({"key": str, "value": str}, pk="key", not_null={"value"})


def _drafts(db: sqlite_utils.Database) -> None:
    # The editor's unsaved text, autosaved while the user types: after a crash or a kill the
    # next start offers it back. One row per editor ("editor" for the main window).
    db["drafts"].create({"name": str, "text": str, "path": str, "updated_at": str}, pk="name",
                        not_null={"text", "updated_at"})


def _tools(db: sqlite_utils.Database) -> None:
    # The user's own tools (engine/tools/user.py): a name, an instruction, whether it rewrites or
    # summarizes (kind), an optional keyboard shortcut.
    db["tools"].create({"name": str, "instruction": str, "kind": str, "shortcut": str, "created_at": str,
                        "updated_at": str}, pk="name", not_null={"instruction", "kind", "created_at", "updated_at"})


MIGRATIONS: list[Migration] = [
    Migration(1, "initial: history, dictionary, style profile, summary cache, settings", _initial),
    Migration(2, "drafts: the editor's unsaved text", _drafts),
    Migration(3, "tools: the user's own tools", _tools),
]

TABLE = "schema_migrations"


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def applied(db: sqlite_utils.Database) -> list[int]:
    if TABLE not in db.table_names():
        return []
    return [row["number"] for row in db.query(f"SELECT number FROM {TABLE} ORDER BY number")]


def latest() -> int:
    return MIGRATIONS[-1].number


def migrate(db: sqlite_utils.Database, place: Path) -> list[int]:
    """Bring the schema up to date; returns the numbers applied now. Refuses a store from a newer Hushwrite."""
    done = applied(db)
    check_not_newer(done, place)
    if len(done) == len(MIGRATIONS):
        return []  # the common case: no write lock taken at all
    ran: list[int] = []
    for migration in MIGRATIONS:
        with dbmod.write(db, place):
            if TABLE not in db.table_names():
                db[TABLE].create({"number": int, "name": str, "applied_at": str}, pk="number")
            if migration.number in applied(db):  # another process got there first
                continue
            migration.apply(db)
            db[TABLE].insert({"number": migration.number, "name": migration.name, "applied_at": now()})
            ran.append(migration.number)
    return ran


def check_not_newer(done: list[int], place: Path) -> None:
    if done and max(done) > latest():
        raise StoreTooNew(
            f"The store at {place} was written by a newer Hushwrite (schema {max(done)}, this one knows {latest()}). "
            "Update Hushwrite; the store was not changed."
        )
