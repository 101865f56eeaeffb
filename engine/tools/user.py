"""The user's own tools: a name, an instruction, whether it rewrites or summarizes, an optional
shortcut. They live in the encrypted store (table `tools`, migration 3), travel with its
export/import, and reach the registry through the same hook as the built-ins; they run through the
same pipelines (structure kept, every sentence through the faithfulness check) as the built-in
Custom instruction and Summary tools."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import InputError
from .spec import Tool

MAX_NAME = 40
MAX_INSTRUCTION = 1000
KINDS = {  # what the user picks -> (task, parameters)
    "rewrite": ("rewrite", {"tone": "custom"}),
    "summary": ("summarize", {"kind": "summary"}),
    "key-points": ("summarize", {"kind": "key-points"}),
}
KIND_LABELS = {"rewrite": "Rewrites the text", "summary": "Summarizes it", "key-points": "Lists its key points"}


@dataclass(frozen=True)
class UserTool:
    name: str
    instruction: str
    kind: str = "rewrite"  # a KINDS key
    shortcut: str = ""

    def as_row(self) -> dict:
        return {"name": self.name, "instruction": self.instruction, "kind": self.kind, "shortcut": self.shortcut}


def key_for(name: str) -> str:
    return "user:" + re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")


def checked(name: str, instruction: str, kind: str = "rewrite", shortcut: str = "", *, taken=(),
            shortcuts=()) -> UserTool:
    """A valid UserTool, or InputError saying what to change. `taken`: names (and keys) already
    used by other tools; `shortcuts`: shortcuts already used."""
    name = " ".join((name or "").split())
    instruction = (instruction or "").strip()
    shortcut = (shortcut or "").strip()
    if not name:
        raise InputError("a tool needs a name")
    if len(name) > MAX_NAME:
        raise InputError(f"a tool's name can be at most {MAX_NAME} characters")
    if not re.search(r"\w", name):
        raise InputError("a tool's name needs at least one letter or digit")
    folded = {t.casefold() for t in taken}
    if name.casefold() in folded or key_for(name) in folded:
        raise InputError(f"there is already a tool called {name!r}; choose another name")
    if not instruction:
        raise InputError("a tool needs an instruction: what should it do with the text?")
    if len(instruction) > MAX_INSTRUCTION:
        raise InputError(f"an instruction can be at most {MAX_INSTRUCTION} characters")
    if kind not in KINDS:
        raise InputError(f"a tool rewrites or summarizes: choose one of {', '.join(KINDS)}")
    if shortcut and shortcut.casefold() in {s.casefold() for s in shortcuts if s}:
        raise InputError(f"the shortcut {shortcut} is already used by another tool")
    return UserTool(name, instruction, kind, shortcut)


def as_tool(u: UserTool) -> Tool:
    task, params = KINDS[u.kind]
    tip = f"Your tool: {u.instruction}" if len(u.instruction) <= 80 else f"Your tool: {u.instruction[:77]}…"
    return Tool(key_for(u.name), u.name.replace("&", "&&"), task, {**params, "instruction": u.instruction},
                shortcut=u.shortcut, tip=tip, source="yours")


def from_row(row: dict) -> UserTool:
    return UserTool(row["name"], row["instruction"], row.get("kind") or "rewrite", row.get("shortcut") or "")


def register(registry, store) -> None:
    for row in store.user_tools():
        try:
            registry.add_tool(as_tool(from_row(row)))
        except ValueError:  # e.g. an imported tool whose name clashes with one here
            registry.problems.append(f"your tool {row['name']!r} clashes with another tool's name and is not shown")


def taken_names(registry, but: str = "") -> list[str]:
    """Names and keys another user tool may not use (everything but the tool being edited)."""
    out = []
    for t in registry.tools():
        if t.user and t.name.casefold() == but.casefold():
            continue
        out += [t.key, t.name]
    return out


def used_shortcuts(registry, but: str = "") -> list[str]:
    return [t.shortcut for t in registry.tools() if t.shortcut and not (t.user and t.name.casefold() == but.casefold())]
