"""Your own tools on the command line, as a user runs them: real processes, a real encrypted store
(SQLCipher, passphrase mode), the real default model. Define a tool, run it, find it in history,
carry it through a store export and import."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PASSPHRASE = "your-tools-test-passphrase"
WEEKLY = "Rewrite this as a short, clear status update for my team."
NOTE = ("Hi team, the new billing page went live on Monday. We fixed 14 bugs this week and Priya "
        "finished the export feature. We did not start the mobile app yet.\n")


def _env(data: Path, **more) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT), HUSHWRITE_DATA_DIR=str(data), HUSHWRITE_PASSPHRASE=PASSPHRASE,
               HUSHWRITE_KEYRING="off", **more)
    env.pop("HUSHWRITE_DEBUG", None)
    return env


def hw(data: Path, *args: str, stdin: str | None = None, timeout: float = 600, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hushwrite", *args], input=stdin, capture_output=True, text=True,
                          env=_env(data, **env), timeout=timeout, cwd=data.parent)


def _listed(data: Path) -> dict[str, dict]:
    p = hw(data, "tools", "list", "--json")
    assert p.returncode == 0, p.stderr
    return {t["name"]: t for t in json.loads(p.stdout)}


@pytest.fixture()
def data(tmp_path) -> Path:
    d = tmp_path / "data"
    assert hw(d, "history").returncode == 0  # creates the encrypted store
    return d


def test_built_in_tools_are_listed_without_a_store(tmp_path):
    p = subprocess.run([sys.executable, "-m", "hushwrite", "--no-store", "tools", "list", "--json"],
                       capture_output=True, text=True, env=_env(tmp_path / "none"), timeout=120)
    tools = json.loads(p.stdout)
    assert p.returncode == 0 and [t["source"] for t in tools] == ["built-in"] * 10
    assert {t["name"] for t in tools} >= {"Proofread", "Friendly", "Concise", "Key points", "Table"}
    assert not (tmp_path / "none").exists()  # listing never creates a store


def test_add_checks_and_keeps_nothing_wrong(data):
    ok = hw(data, "tools", "add", "Weekly report", "--instruction", WEEKLY, "--shortcut", "Ctrl+Alt+W")
    assert ok.returncode == 0 and 'hushwrite run "Weekly report" FILE' in ok.stderr
    for args, message in [
        (["Weekly report", "--instruction", "again"], "already have a tool called 'Weekly report'"),
        (["summary", "--instruction", "x"], "already a tool called 'summary'"),
        (["Other", "--instruction", "x", "--shortcut", "Ctrl+Shift+P"], "shortcut Ctrl+Shift+P is already used"),
        (["Other", "--instruction", "   "], "needs an instruction"),
        (["!!!", "--instruction", "x"], "at least one letter or digit"),
        (["x" * 41, "--instruction", "x"], "at most 40 characters"),
    ]:
        p = hw(data, "tools", "add", *args)
        assert p.returncode == 2 and message in p.stderr and "Traceback" not in p.stderr, (args, p.stderr)
    mine = {n: t for n, t in _listed(data).items() if t["source"] == "yours"}
    assert list(mine) == ["Weekly report"] and mine["Weekly report"]["shortcut"] == "Ctrl+Alt+W"
    assert mine["Weekly report"]["instruction"] == WEEKLY
    changed = hw(data, "tools", "add", "weekly REPORT", "--instruction", "Make it shorter.", "--replace")
    assert changed.returncode == 0 and _listed(data)["weekly REPORT"]["instruction"] == "Make it shorter."
    assert hw(data, "tools", "remove", "Weekly Report").returncode == 0
    gone = hw(data, "tools", "remove", "Weekly report")
    assert gone.returncode == 2 and "no tool called" in gone.stderr
    assert hw(data, "tools", "remove", "Proofread").returncode == 2  # built-ins stay


def test_run_your_rewrite_tool_and_find_it_in_history(data):
    assert hw(data, "tools", "add", "Weekly report", "--instruction", WEEKLY).returncode == 0
    p = hw(data, "run", "weekly report", "-", "--json", stdin=NOTE)
    assert p.returncode in (0, 4), p.stderr  # 4: no sentence could be rewritten faithfully (said, text kept)
    out = json.loads(p.stdout)
    assert out["tool"] == "rewrite" and out["variant"] == "Weekly report"
    for n in ("14", "Priya", "Monday"):  # the faithfulness check keeps names, numbers and days
        assert n in out["text"]
    assert re.search(r"\bnot\b|n't\b", out["text"])  # "did not start" keeps its negation ("didn't" too)
    assert {part["status"] for part in out["parts"]} <= {"rewritten", "kept"}
    history = json.loads(hw(data, "history", "--json").stdout)
    assert history[0]["tool"] == "rewrite" and history[0]["kind"] == "Weekly report"
    assert history[0]["input"] == NOTE


def test_run_your_summarizing_tool(data, tmp_path):
    assert hw(data, "tools", "add", "Manager brief", "--does", "summary",
              "--instruction", "Summarize the text above in two sentences for a busy manager.").returncode == 0
    src = tmp_path / "report.txt"
    src.write_text("The council met on 4 March to discuss the library. The roof leaks in 3 places and repairs "
                   "will cost 85,000 pounds. Maria Lopez said the library must stay open during the work. "
                   "The council will vote on the budget in April. Volunteers collected 1,200 signatures.\n")
    p = hw(data, "run", "Manager brief", str(src), "--json")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["tool"] == "summarize" and out["variant"] == "Manager brief" and out["text"].strip()
    source = src.read_text()
    for number in re.findall(r"\d[\d,.]*\d|\d", out["text"]):
        assert number in source  # grounded: every number is the document's
    assert all(point["spans"] for point in out["points"])
    assert json.loads(hw(data, "history", "--json").stdout)[0]["kind"] == "Manager brief"


def test_unknown_tool_names_the_tools(data):
    p = hw(data, "run", "Poem", "-", stdin="Some text here.\n", timeout=120)
    assert p.returncode == 2 and "no tool is called 'Poem'" in p.stderr and '"Key points"' in p.stderr


def test_your_tools_travel_with_the_store_export(data, tmp_path):
    assert hw(data, "tools", "add", "Weekly report", "--instruction", WEEKLY, "--shortcut", "Ctrl+Alt+W").returncode == 0
    export = tmp_path / "backup.hushwrite"
    env = {"HUSHWRITE_FILE_PASSPHRASE": "export-passphrase-123"}
    p = hw(data, "store", "export", str(export), **env)
    assert p.returncode == 0, p.stderr
    other = tmp_path / "other"
    assert hw(other, "history").returncode == 0
    assert "Weekly report" not in _listed(other)
    p = hw(other, "store", "import", str(export), **env)
    assert p.returncode == 0, p.stderr
    tool = _listed(other)["Weekly report"]
    assert tool["source"] == "yours" and tool["instruction"] == WEEKLY and tool["shortcut"] == "Ctrl+Alt+W"
    assert hw(other, "store", "import", str(export), **env).returncode == 0  # twice: still one
    assert [n for n, t in _listed(other).items() if t["source"] == "yours"] == ["Weekly report"]
