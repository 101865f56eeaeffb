"""The exit status every CLI tool derives from a TaskResult."""

from engine.tasks.base import TaskResult, exit_status


def test_usable_result_exits_0():
    assert exit_status(TaskResult("rewrite", "a", "b")) == 0


def test_unusable_result_exits_4_with_the_reason(capsys):
    r = TaskResult("rewrite", "a", "a", ok=False, problem="the model refused")
    assert exit_status(r) == 4
    assert capsys.readouterr().err.strip() == "hushwrite: the model refused"
