"""The model in its own process: real child processes, the real default model, real signals."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from engine.errors import Cancelled
from engine.model import GenerationStats
from engine.process import EngineCrashed, crashes, open_model
from engine.process.exits import describe_exit
from engine.runtime import LoadOptions

ROOT = Path(__file__).resolve().parents[3]
HELLO = [{"role": "user", "content": "Write a long story about a lighthouse keeper."}]


@pytest.fixture()
def proc_model(data_dir, default_model_path):
    """A model in a fresh engine process (crash records go to this test's data dir)."""
    m = open_model(default_model_path, LoadOptions(n_ctx=1024, n_seq_max=3))
    yield m
    m.close()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is not alive either
        with open(f"/proc/{pid}/status") as fh:
            return "zombie" not in fh.read()
    except OSError:
        return False


def test_default_model_generates_in_the_engine_process_on_this_cpu(proc_model):
    """Whatever this CPU is (AMX included), the default model generates, in another process."""
    stats = GenerationStats()
    text = "".join(proc_model.stream([{"role": "user", "content": "Say hello."}], max_tokens=12, stats=stats))
    assert text.strip()
    assert stats.output_tokens > 0 and stats.decode_tps > 0  # stats come back across the pipe
    assert proc_model.engine.pid != os.getpid() and _alive(proc_model.engine.pid)
    assert proc_model.count_tokens("hello world") == len(proc_model.tokenize("hello world")) > 0


def test_parallel_sequences_and_callbacks_cross_the_pipe(proc_model):
    prompts = [proc_model.prompt_tokens([{"role": "user", "content": q}]) for q in ("Hi", "Bye")]
    seen = []
    out = proc_model.generate_many(prompts, 6, on_done=lambda i, text, st: seen.append((i, text)))
    assert len(out) == 2 and all(text for text, _ in out)
    assert sorted(i for i, _ in seen) == [0, 1] and {t for _, t in seen} == {t for t, _ in out}
    partial: dict[int, str] = {}
    again = proc_model.generate_many(prompts, 6, on_partial=partial.update)
    assert partial == {i: text for i, (text, _) in enumerate(again)}  # drafts cross the pipe too


def test_cancel_from_another_thread_stops_the_generation(proc_model):
    stream = proc_model.stream(HELLO, max_tokens=2000)
    next(stream)
    threading.Timer(0.2, proc_model.cancel).start()
    with pytest.raises(Cancelled):
        for _ in stream:
            pass
    assert "".join(proc_model.stream([{"role": "user", "content": "Say hi."}], max_tokens=4))  # still usable


def test_an_abandoned_stream_stops_in_the_engine(proc_model):
    stream = proc_model.stream(HELLO, max_tokens=2000)
    next(stream)
    stream.close()  # the task stopped reading: the engine must not go on for 2000 tokens
    stats = GenerationStats()
    "".join(proc_model.stream([{"role": "user", "content": "Say hi."}], max_tokens=4, stats=stats))
    assert stats.output_tokens <= 4


@pytest.mark.parametrize("sig, words", [(signal.SIGKILL, "killed"), (signal.SIGILL, "illegal instruction (signal 4)"),
                                        (signal.SIGSEGV, "segmentation fault (signal 11)")])
def test_a_dying_engine_gives_plain_words_and_is_remembered(proc_model, default_model_path, sig, words):
    pid = proc_model.engine.pid
    stream = proc_model.stream(HELLO, max_tokens=2000)
    next(stream)
    os.kill(pid, sig)
    with pytest.raises(EngineCrashed) as info:
        for _ in stream:
            pass
    assert info.value.exit_code == 3 and str(info.value).startswith("the model runtime crashed: ")
    assert words in str(info.value)
    with pytest.raises(EngineCrashed):  # later calls say the same, they do not hang
        proc_model.count_tokens("x")
    assert crashes.lookup(default_model_path).crashes == 1
    again = open_model(default_model_path, LoadOptions(n_ctx=512))  # safe settings from now on
    try:
        assert again.options.extra_buffers is False and again.options.flash_attn is False
        assert again.options.n_gpu_layers == 0 and any("safe settings" in n for n in again.notes)
        assert "".join(again.stream([{"role": "user", "content": "Say hi."}], max_tokens=4))
    finally:
        again.close()


def test_an_abort_inside_the_runtime_is_a_crash_not_our_death(data_dir, default_model_path, monkeypatch, tmp_path):
    monkeypatch.setenv("HUSHWRITE_ENGINE_TEST_HOOK", f"abort:{tmp_path / 'fired'}")
    m = open_model(default_model_path, LoadOptions(n_ctx=512))
    with pytest.raises(EngineCrashed, match=r"aborted \(signal 6\)"):
        "".join(m.stream([{"role": "user", "content": "Say hi."}], max_tokens=4))
    m2 = open_model(default_model_path, LoadOptions(n_ctx=512))  # the hook fired once
    try:
        assert "".join(m2.stream([{"role": "user", "content": "Say hi."}], max_tokens=4))
    finally:
        m2.close()


def test_twice_crashed_model_is_marked_blocked(data_dir, default_model_path):
    crashes.record_crash(default_model_path, "illegal instruction (signal 4)")
    assert crashes.lookup(default_model_path).safe and not crashes.lookup(default_model_path).blocked
    crashes.record_crash(default_model_path, "illegal instruction (signal 4)")
    assert crashes.lookup(default_model_path).blocked
    crashes.forget(default_model_path)
    assert crashes.lookup(default_model_path).crashes == 0


def test_closing_ends_the_process_and_gives_memory_back(data_dir, default_model_path):
    m = open_model(default_model_path, LoadOptions(n_ctx=512))
    pid = m.engine.pid
    assert _alive(pid)
    m.close()
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pid)


def test_a_load_error_is_readable_and_the_process_ends(data_dir, tmp_path):
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF" + b"\x00" * 64)
    from engine.errors import ModelError

    with pytest.raises(ModelError) as info:
        open_model(bad, LoadOptions(n_ctx=512))
    assert "broken.gguf" in str(info.value)


def test_cli_turns_a_native_crash_into_a_message_and_exit_3(data_dir):
    env = dict(os.environ, HUSHWRITE_ENGINE_TEST_HOOK="sigill", PYTHONPATH=str(ROOT))
    p = subprocess.run([sys.executable, "-m", "hushwrite", "--no-store", "rewrite"], input="The hotel was not great.",
                       capture_output=True, text=True, env=env, timeout=300)
    assert p.returncode == 3, p.stderr
    assert "the model runtime crashed: illegal instruction (signal 4)" in p.stderr
    assert "Traceback" not in p.stderr and "safe settings" in p.stderr


@pytest.mark.parametrize("rc, words", [(-4, "illegal instruction (signal 4)"), (-6, "aborted (signal 6)"),
                                       (-9, "killed"), (0xC000001D, "illegal instruction (0xC000001D)"),
                                       (1, "exit status 1")])
def test_exit_descriptions(rc, words):
    assert words in describe_exit(rc)
