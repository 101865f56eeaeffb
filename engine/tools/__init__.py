"""One registry of tools: every task and tool declared once (see registry.py)."""

from .registry import Registry, registry
from .run import Hooks
from .spec import TASKS, Task, Tool

__all__ = ["Hooks", "Registry", "TASKS", "Task", "Tool", "registry"]
