"""The layering the README promises, checked on the source itself (every import statement, also
those inside functions):

    hushwrite (the command; the only package that imports both)  ->  app (Qt)  ->  engine (no Qt)

- nothing under engine/ imports app, hushwrite or a Qt binding;
- nothing under app/ imports llama_cpp (the model runs in the engine process) or hushwrite;
- no import cycle among modules (imports at module level: those run when a module is imported);
- no module over 400 lines without a reason written at its top ("Long because: ...").
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("hushwrite", "engine", "app")
QT = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "qtpy")
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    out = {}
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join(parts)] = path
    return out


MODULES = _modules()


def _is_package(name: str) -> bool:
    return MODULES.get(name, Path()).name == "__init__.py"


def _imports(name: str, path: Path, top_level_only: bool) -> list[tuple[str, int]]:
    """(imported module, line) for every import in a module; `top_level_only`: the ones that run
    on import (module body, including `if`/`try` blocks there, not function bodies)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = name if _is_package(name) else name.rpartition(".")[0]
    nodes = _top_level(tree.body) if top_level_only else ast.walk(tree)
    found = []
    for node in nodes:
        if isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for a in node.names:  # `from pkg import mod` imports the module pkg.mod
                sub = f"{module}.{a.name}"
                found.append((sub if sub in MODULES else module, node.lineno))
    return found


def _top_level(body):
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        yield node
        for field in ("body", "orelse", "finalbody", "handlers"):
            inner = getattr(node, field, None)
            if isinstance(inner, list):
                yield from _top_level(inner)


def _violations(prefix: str, forbidden: tuple[str, ...]) -> list[str]:
    bad = []
    for name, path in MODULES.items():
        if name.split(".")[0] != prefix:
            continue
        for module, line in _imports(name, path, top_level_only=False):
            if module.split(".")[0] in forbidden:
                bad.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return bad


def test_engine_imports_neither_app_nor_qt():
    assert _violations("engine", ("app", "hushwrite", *QT)) == []


def test_app_never_imports_llama_cpp_or_the_command():
    assert _violations("app", ("llama_cpp", "hushwrite")) == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _graph() -> dict[str, set[str]]:
    return {name: {m for m, _ in _imports(name, path, top_level_only=True) if m in MODULES and m != name}
            for name, path in MODULES.items()}


def test_no_import_cycles():
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_import_reader_sees_lazy_and_relative_imports(tmp_path):
    # an import inside a function counts for the layering (it would run all the same), not for cycles
    path = tmp_path / "fake.py"
    path.write_text("import os\nfrom ..errors import InputError\n\ndef f():\n    from app.main import run\n    return run\n")
    everything = _imports("engine.tasks.fake", path, top_level_only=False)
    assert ("app.main", 5) in everything and ("engine.errors", 2) in everything
    assert ("app.main", 5) not in _imports("engine.tasks.fake", path, top_level_only=True)


def test_no_module_is_long_without_a_reason():
    long = []
    for name, path in MODULES.items():
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > MAX_LINES and "Long because:" not in text[:3000]:
            long.append(f"{path.relative_to(ROOT)} ({text.count(chr(10))} lines)")
    assert long == []
