"""The tool registry: one list, declared once, with checks on what a provider adds."""

from __future__ import annotations

import pytest

from engine.errors import InputError
from engine.tools import Hooks, Tool, registry
from engine.tools.user import KINDS, UserTool, as_tool, checked, key_for, taken_names, used_shortcuts


def test_built_ins_in_menu_order_with_unique_shortcuts():
    reg = registry()
    assert [t.name for t in reg.tasks()] == ["proofread", "rewrite", "summarize"]
    assert reg.variants("rewrite") == ["rewrite", "friendly", "professional", "concise", "custom"]
    assert reg.variants("summarize") == ["summary", "key-points", "list", "table"]
    shortcuts = [t.shortcut for t in reg.tools()]
    assert len(set(shortcuts)) == len(shortcuts) == 10 and all(shortcuts)
    assert reg.title(reg.get("friendly")) == "Rewrite ▸ Friendly" and reg.title(reg.get("key-points")) == "Key points"


def test_a_provider_cannot_add_a_broken_tool():
    reg = registry()
    with pytest.raises(ValueError, match="unknown task"):
        reg.add_tool(Tool("poem", "Poem", "versify"))
    with pytest.raises(ValueError, match="does not take"):
        reg.add_tool(Tool("loud", "Loud", "rewrite", {"volume": 11}))
    with pytest.raises(ValueError, match="two tools"):
        reg.add_tool(Tool("friendly", "Friendly again", "rewrite", {"tone": "friendly"}))


def test_a_tool_keeps_its_own_parameters():
    reg = registry()
    friendly = reg.get("friendly")
    params = reg.params_for(friendly, {"tone": "concise", "style": "short words", "bogus": 1})
    assert params == {"tone": "friendly", "style": "short words"}
    custom = reg.get("custom")
    assert reg.params_for(custom, {"instruction": "Make it rhyme."})["instruction"] == "Make it rhyme."
    with pytest.raises(InputError, match="needs an instruction"):
        reg.run(None, custom, "Some text.", {}, Hooks())


def test_find_by_key_or_name():
    reg = registry()
    assert reg.find("Key Points").key == "key-points" and reg.find("custom instruction").key == "custom"
    with pytest.raises(InputError, match='no tool is called .*"Proofread"'):
        reg.find("Poem")


def test_user_tool_checks():
    reg = registry()
    t = checked("  Weekly   report ", " Make it a weekly report. ", "summary", "Ctrl+Alt+W",
                taken=taken_names(reg), shortcuts=used_shortcuts(reg))
    assert t == UserTool("Weekly report", "Make it a weekly report.", "summary", "Ctrl+Alt+W")
    for args, message in [(("", "x"), "needs a name"), (("Friendly", "x"), "already a tool"),
                          (("key points", "x"), "already a tool"), (("A", ""), "needs an instruction"),
                          (("A", "x", "poem"), "rewrites or summarizes"), (("A", "x" * 1001), "at most 1000")]:
        with pytest.raises(InputError, match=message):
            checked(*args, taken=taken_names(reg), shortcuts=used_shortcuts(reg))
    with pytest.raises(InputError, match="already used"):
        checked("A", "x", "rewrite", "ctrl+shift+p", shortcuts=used_shortcuts(reg))


def test_user_tool_as_registry_tool():
    for kind, (task, params) in KINDS.items():
        tool = as_tool(UserTool("R&D notes", "Do it.", kind))
        assert tool.task == task and tool.user and tool.source == "yours"
        assert tool.name == "R&D notes" and tool.key == key_for("R&D notes") == "user:r-d-notes"
        assert dict(tool.params) == {**params, "instruction": "Do it."}
        assert tool.shows_diff == (task == "rewrite")


def test_user_tools_come_from_the_store_and_clashes_are_reported():
    class Rows:
        def user_tools(self):
            return [{"name": "Weekly report", "instruction": "x", "kind": "rewrite", "shortcut": ""},
                    {"name": "weekly-report", "instruction": "y", "kind": "summary", "shortcut": ""}]

    reg = registry(Rows())
    assert [t.name for t in reg.tools(source="yours")] == ["Weekly report"]
    assert reg.problems and "weekly-report" in reg.problems[0]


def test_an_installed_plugin_adds_its_tools_through_the_same_hook(tmp_path):
    """A real installed distribution (dist-info with an entry point) seen by a fresh process."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    (tmp_path / "hw_demo_plugin.py").write_text(
        "from engine.tools import Tool\n"
        "def register(reg):\n"
        "    reg.add_tool(Tool('pirate', 'Pirate', 'rewrite', {'tone': 'custom', 'instruction': 'Talk like a pirate.'}))\n")
    (tmp_path / "broken_plugin.py").write_text("def register(reg):\n    raise RuntimeError('no ship')\n")
    info = tmp_path / "hw_demo_plugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: hw-demo-plugin\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[hushwrite.tools]\ndemo = hw_demo_plugin:register\nbroken = broken_plugin:register\n")
    env = dict(os.environ, PYTHONPATH=f"{tmp_path}{os.pathsep}{root}")
    p = subprocess.run([sys.executable, "-m", "hushwrite", "--no-store", "tools", "list", "--json"],
                       capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == 0, p.stderr
    tools = {t["name"]: t for t in json.loads(p.stdout)}
    assert tools["Pirate"]["source"] == "demo" and tools["Pirate"]["task"] == "rewrite"
    assert len(tools) == 11 and "broken: no ship" in p.stderr
