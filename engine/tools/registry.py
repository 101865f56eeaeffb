"""The one list of tasks and tools.

Providers add to it through one hook, `register(registry)`: the built-ins (builtin.py), the user's
own tools from the encrypted store (user.py), and any installed plugin (the `hushwrite.tools` entry
point group). Everything that shows or runs a tool — the window's menus and toolbar, the tray popup,
the CLI's subcommands and choices, the worker's dispatch — reads it from here.

    reg = registry()                     # built-ins (+ plugins)
    reg = registry(store)                # ... + the user's own tools
    reg.tools("rewrite")                 # the rewrite tools, in menu order
    reg.find("Weekly report")            # by key or by name (case-insensitive)
    reg.run(model, reg.find("friendly"), text, hooks=Hooks(on_text=...))
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any, Iterable, Mapping

from ..errors import InputError
from .run import Hooks
from .spec import Task, Tool


class Registry:
    def __init__(self) -> None:
        self._tasks: dict[str, Task] = {}
        self._tools: dict[str, Tool] = {}
        self.problems: list[str] = []  # providers that failed: said, never fatal
        self.provider = "built-in"  # whose register() is running: a plugin's tools carry its name

    # -- the hook's side --------------------------------------------------------------------------
    def add_task(self, task: Task) -> None:
        self._tasks[task.name] = task

    def add_tool(self, tool: Tool) -> None:
        if tool.task not in self._tasks:
            raise ValueError(f"tool {tool.key!r} names an unknown task {tool.task!r}")
        unknown = set(tool.params) - set(self._tasks[tool.task].params)
        if unknown:
            raise ValueError(f"tool {tool.key!r} sets parameters its task does not take: {sorted(unknown)}")
        if tool.key in self._tools:
            raise ValueError(f"two tools have the key {tool.key!r}")
        if tool.source == "built-in" and self.provider != "built-in":
            tool = dataclasses.replace(tool, source=self.provider)
        self._tools[tool.key] = tool

    # -- reading ----------------------------------------------------------------------------------
    def tasks(self) -> list[Task]:
        return list(self._tasks.values())

    def task(self, name: str) -> Task:
        try:
            return self._tasks[name]
        except KeyError:
            raise InputError(f"unknown task {name!r}; choose one of {', '.join(self._tasks)}") from None

    def tools(self, task: str | None = None, *, source: str | None = None) -> list[Tool]:
        return [t for t in self._tools.values()
                if (task is None or t.task == task) and (source is None or t.source == source)]

    def variants(self, task: str) -> list[str]:
        """The values of a task's variant parameter its tools use (CLI choices: tones, kinds)."""
        return [t.variant for t in self.tools(task, source="built-in") if t.variant]

    def get(self, key: str) -> Tool | None:
        return self._tools.get(key)

    def find(self, name: str) -> Tool:
        """A tool by key or by name, ignoring case and the menu's & marks; InputError lists the
        choices when there is none."""
        wanted = _fold(name)
        for tool in self._tools.values():
            if wanted in (_fold(tool.key), _fold(tool.name)):
                return tool
        names = ", ".join(f'"{t.name}"' for t in self._tools.values())
        raise InputError(f"no tool is called {name!r}; the tools are {names}")

    def title(self, tool: Tool) -> str:
        return tool.title(self.task(tool.task))

    # -- running ----------------------------------------------------------------------------------
    def params_for(self, tool: Tool, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The tool's fixed parameters plus the caller's (an instruction typed now, the user's
        dictionary); the caller cannot change what makes the tool itself (its tone or kind)."""
        task = self.task(tool.task)
        params = {k: v for k, v in (extra or {}).items() if k in task.params}
        params.update(tool.params)
        if tool.asks and (extra or {}).get("instruction"):
            params["instruction"] = extra["instruction"]
        return params

    def run(self, model, tool: Tool, text: str, extra: Mapping[str, Any] | None = None, hooks: Hooks | None = None):
        task = self.task(tool.task)
        params = self.params_for(tool, extra)
        if tool.asks and not str(params.get("instruction", "")).strip():
            raise InputError(f"{tool.name} needs an instruction: what should happen to the text?")
        result = task.run(model, text, params, hooks or Hooks())
        if tool.user:  # history says which of the user's tools made it
            result.variant = tool.name
        return result

    def run_task(self, model, task: str, text: str, params: Mapping[str, Any] | None = None,
                 hooks: Hooks | None = None):
        """A task with parameters given directly (the CLI's `rewrite --tone`, the worker)."""
        t = self.task(task)
        return t.run(model, text, {k: v for k, v in (params or {}).items() if k in t.params}, hooks or Hooks())


def _fold(s: str) -> str:
    return " ".join(s.replace("&", "").rstrip("…").casefold().split())


def _providers(store) -> Iterable[tuple[str, Any]]:
    from . import builtin, user

    yield "built-in", builtin.register
    yield from _plugins()
    if store is not None:
        yield "yours", lambda reg: user.register(reg, store)


@functools.lru_cache(maxsize=1)
def _entry_points() -> tuple:
    """Scanned once per process: reading every installed package's metadata costs 20-40 ms."""
    try:
        from importlib.metadata import entry_points

        return tuple(entry_points(group="hushwrite.tools"))
    except Exception:  # noqa: BLE001 - broken metadata must not stop the tools
        return ()


def _plugins() -> Iterable[tuple[str, Any]]:
    """Installed packages that declare `[project.entry-points."hushwrite.tools"]`; each names a
    `register(registry)` function. None ship with Hushwrite; a broken one is reported, not fatal."""
    for ep in _entry_points():
        def load(reg, ep=ep):
            ep.load()(reg)

        yield ep.name, load


def registry(store=None) -> Registry:
    """Every tool: the built-ins, installed plugins and (with a store) the user's own."""
    reg = Registry()
    for name, register in _providers(store):
        reg.provider = name
        try:
            register(reg)
        except Exception as exc:  # noqa: BLE001 - one provider's failure never hides the others
            if name == "built-in":
                raise
            reg.problems.append(f"{name}: {exc}")
    reg.provider = "built-in"
    return reg
