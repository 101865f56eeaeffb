"""What a task and a tool are.

A *task* is one kind of work the engine does (proofread, rewrite, summarize): the function that
runs it, the parameters it takes and the personal context it wants from the store. A *tool* is one
entry the user picks: a task with fixed parameters ("Friendly" = rewrite with tone friendly), a
label, a keyboard shortcut. The window's menus, the tray popup, the command line and the worker
all read the same list of tools (registry.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Callable, Mapping

TASKS = ("proofread", "rewrite", "summarize")


@dataclass(frozen=True)
class Task:
    name: str  # "proofread" | "rewrite" | "summarize"
    label: str  # menu title: "Proofread", "Rewrite", "Summarize"
    help: str  # one line for `hushwrite --help`
    run: Callable[..., Any]  # (model, text, params, hooks) -> TaskResult; see run.py
    params: tuple[str, ...]  # the parameters a tool or a caller may set
    context: tuple[str, ...] = ()  # personal context from the store: "dictionary", "style", "cache"
    variant: str = ""  # the parameter that tells its tools apart ("tone", "kind")
    titled: bool = False  # results are titled "Task ▸ Tool" ("Rewrite ▸ Friendly"), else by the tool


@dataclass(frozen=True)
class Tool:
    key: str  # stable id: "proofread", "friendly", "key-points", "user:weekly-report"
    label: str  # with an & before the menu mnemonic: "&Friendly"
    task: str  # a Task name
    params: Mapping[str, Any] = field(default_factory=dict)
    shortcut: str = ""  # Qt key sequence text: "Ctrl+Shift+F"
    tip: str = ""
    asks: bool = False  # needs an instruction typed when it runs (Custom instruction…)
    source: str = "built-in"  # "built-in", "yours" (the encrypted store), or a plugin's name

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    @property
    def name(self) -> str:
        """The label as plain text: "Friendly", "Custom instruction"."""
        return self.label.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()

    @property
    def user(self) -> bool:
        return self.source == "yours"

    @property
    def variant(self) -> str:
        """The tone or kind ("" for proofreading); user tools are "custom"."""
        return str(self.params.get("tone") or self.params.get("kind") or "")

    @property
    def shows_diff(self) -> bool:
        """Previewed as changes to the original (proofread, rewrite) or as a new text (summaries)."""
        return self.task != "summarize"

    def title(self, task: Task) -> str:
        """How a result is titled: "Proofread", "Rewrite ▸ Friendly", "Key points", "Weekly report"."""
        if self.user or not task.titled or self.name == task.label:
            return self.name
        return f"{task.label} ▸ {self.name}"
