"""SIGKILL a writer at random moments, many times: every row it reported committed is still there."""

from __future__ import annotations

import os
import random
import signal
import time

from engine.store import Store

KILLS = 80

STORE_ON_DISK = True  # real disk, real fsyncs (see conftest.store_root)


def writer(data_dir, round_no: int, report_fd: int) -> None:
    """Child: open the store, write forever; after each COMMIT, report the row on the pipe."""
    rng = random.Random(round_no)
    store = Store.open(data_dir)
    i = 0
    while True:
        i += 1
        tag = f"r{round_no}-{i}"
        size = rng.choice((10, 500, 5000, 40000))  # big rows push the WAL past auto-checkpoints
        store.add_run("crash-test", tag, "x" * size, timings={"i": i})
        if i % 7 == 0:
            store.cache_put(tag, "summary " + tag)
        if i % 11 == 0:
            store.dict_add(tag)
            store.dict_remove(tag)
        os.write(report_fd, (tag + "\n").encode())  # only after add_run returned, i.e. committed


def run_and_kill(data_dir, round_no: int, rng: random.Random, max_delay: float = 0.25) -> tuple[list[str], bool]:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_fd)
        try:
            writer(data_dir, round_no, write_fd)
        finally:
            os._exit(3)
    os.close(write_fd)
    time.sleep(rng.uniform(0.0, max_delay))  # from "still opening the store" to "many rows in"
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    chunks = []
    while chunk := os.read(read_fd, 65536):
        chunks.append(chunk)
    os.close(read_fd)
    lines = b"".join(chunks).decode().split("\n")
    return [line for line in lines[:-1] if line], os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL


def test_sigkill_many_times_loses_no_committed_row(store_env, record_property):
    rng = random.Random(20240605)
    Store.open().close()  # the first kill may land while the store is being created; see below too
    reported: list[str] = []
    kills = 0
    for round_no in range(KILLS):
        rows, killed = run_and_kill(store_env, round_no, rng)
        kills += killed
        reported += rows
        if round_no % 15 == 14:
            with Store.open() as store:
                present = {r["input"] for r in store.history(limit=10**6)}
                assert set(reported) <= present
    with Store.open() as store:
        present = {r["input"] for r in store.history(limit=10**6)}
        missing = set(reported) - present
        assert not missing, f"{len(missing)} committed rows lost, e.g. {sorted(missing)[:3]}"
        assert store.check() == []
        for tag in reported[-20:]:
            if int(tag.split("-")[1]) % 7 == 0:
                assert store.cache_get(tag) == "summary " + tag
    assert kills == KILLS
    assert len(reported) > KILLS  # the kills landed among real writes, not only at start-up
    record_property("kills_survived", kills)
    record_property("rows_committed", len(reported))
    print(f"\n{kills} SIGKILLs survived, {len(reported)} committed rows all present")


def test_killed_during_first_creation_still_opens(store_env):
    """Kills while the very first open creates the file, keys it and runs migrations."""
    rng = random.Random(7)
    for round_no in range(8):
        rows, _ = run_and_kill(store_env, round_no, rng, max_delay=0.04)
        with Store.open() as store:
            present = {r["input"] for r in store.history(limit=10**6)}
        assert set(rows) <= present
        if round_no % 2:
            Store.forget_all(store_env)
