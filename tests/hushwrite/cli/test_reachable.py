"""Every tool in the registry can be reached from the command line: its task is a subcommand whose
choices include its tone or kind, and `run NAME` finds it (the user's own tools too)."""

from __future__ import annotations

import argparse

from engine.tools import registry
from engine.tools.user import UserTool, as_tool
from hushwrite.cli import build_parser


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def _choices(sub: argparse.ArgumentParser, option: str) -> list[str]:
    return list(next(a for a in sub._actions if option in a.option_strings).choices)


def test_every_built_in_tool_has_its_subcommand_and_choice():
    reg = registry()
    subs = _subcommands(build_parser(["proofread"]))
    for task in reg.tasks():
        assert task.name in subs
    assert _choices(subs["rewrite"], "--tone") == [t.variant for t in reg.tools("rewrite")]
    assert _choices(subs["summarize"], "--kind") == [t.variant for t in reg.tools("summarize")]
    for tool in reg.tools():
        parsed = build_parser().parse_args(["run", tool.name, "file.txt"])
        assert reg.find(parsed.tool) is tool


def test_a_user_tool_is_found_by_run():
    reg = registry()
    mine = as_tool(UserTool("Weekly report", "Make it a weekly report."))
    reg.add_tool(mine)
    assert reg.find("weekly report") is mine and reg.find("user:weekly-report") is mine
    assert reg.title(mine) == "Weekly report"
