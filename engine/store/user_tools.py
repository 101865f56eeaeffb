"""The user's own tools, kept in the encrypted store (table `tools`). What makes a tool valid is
decided by engine/tools/user.py; this mixin only keeps the rows. Mixed into `Store` like Records."""

from __future__ import annotations

from engine.store.migrations import now


class UserToolRecords:
    def user_tools(self) -> list[dict]:
        """[{"name", "instruction", "kind", "shortcut"}], in the order they were made."""
        with self.reading():
            return [dict(r) for r in self.db.query(
                "SELECT name, instruction, kind, shortcut FROM tools ORDER BY created_at, rowid")]

    def save_user_tool(self, name: str, instruction: str, kind: str, shortcut: str = "", *,
                       replacing: str | None = None) -> None:
        """Add a tool, or (with `replacing`, its old name) change one in place, keeping its place
        in the list."""
        stamp = now()
        with self.writing() as db:
            if replacing is not None and db.execute(
                    "UPDATE tools SET name = ?, instruction = ?, kind = ?, shortcut = ?, updated_at = ? WHERE name = ?",
                    [name, instruction, kind, shortcut or "", stamp, replacing]).rowcount:
                return
            db.execute("INSERT INTO tools (name, instruction, kind, shortcut, created_at, updated_at) "
                       "VALUES (?, ?, ?, ?, ?, ?)", [name, instruction, kind, shortcut or "", stamp, stamp])

    def delete_user_tool(self, name: str) -> bool:
        with self.writing() as db:
            return db.execute("DELETE FROM tools WHERE name = ?", [name]).rowcount > 0
