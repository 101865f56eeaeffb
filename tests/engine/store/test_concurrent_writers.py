"""Two writers at once (two processes, or the window and the tray in one app) never hit "database is locked"."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

from engine.store import Store

WRITES = 60


def test_two_processes_write_at_the_same_time(store_env, child_env):
    Store.open().close()
    script = Path(__file__).parent / "children" / "writer.py"
    start_at = f"{time.time() + 1.5:.3f}"  # both are open and waiting before the first write
    procs = [subprocess.Popen([sys.executable, str(script), str(store_env), name, str(WRITES), start_at],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=child_env())
             for name in ("window", "tray")]
    results = [(p.wait(timeout=90), *p.communicate()) for p in procs]
    for code, out, err in results:
        assert "locked" not in err and "busy" not in err.lower(), err
        assert code == 0 and out.strip() == f"ok {WRITES}", err
    with Store.open() as store:
        assert store.counts()["history"] == 2 * WRITES
        assert store.get_setting("last-window") == store.get_setting("last-tray") == WRITES - 1


def test_two_stores_in_two_threads_of_one_process(store_env):
    Store.open().close()
    errors: list[BaseException] = []

    def work(name: str) -> None:
        try:
            with Store.open() as store:
                for i in range(40):
                    store.add_run(name, f"{name} {i}", "out")
                    store.set_setting(name, i)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in ("window", "tray")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    with Store.open() as store:
        assert store.counts()["history"] == 80


def test_one_store_shared_by_two_threads(store_env):
    """The window and the engine worker share the app's one Store: reads and writes from both
    threads at once all land (sqlite's own thread check would refuse the second thread)."""
    errors: list[BaseException] = []
    with Store.open() as store:
        def worker() -> None:
            try:
                for i in range(60):
                    store.cache_put(f"summ-{i}", f"part {i}")
                    assert store.cache_get(f"summ-{i}") == f"part {i}"
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        t = threading.Thread(target=worker)
        t.start()
        for i in range(60):
            store.add_run("rewrite", f"text {i}", "out")
            store.history(limit=5)
        t.join(60)
        assert errors == []
        counts = store.counts()
        assert counts["history"] == 60 and counts["summary_cache"] == 60


def test_processes_that_create_the_store_at_the_same_moment_make_one_store(store_env, child_env):
    """The window, the tray and a CLI command started together on a fresh machine: exactly one of
    them creates the store (key, metadata, file), the others wait and open it; all their rows land."""
    script = Path(__file__).parent / "children" / "first_open.py"
    for attempt in range(6):
        Store.forget_all(store_env)
        start_at = f"{time.time() + 1.2:.3f}"
        names = [f"p{attempt}-{i}" for i in range(4)]
        procs = [subprocess.Popen([sys.executable, str(script), str(store_env), name, start_at],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=child_env())
                 for name in names]
        results = [(p.wait(timeout=90), *p.communicate()) for p in procs]
        for code, out, err in results:
            assert code == 0 and out.strip() == "ok", err
        with Store.open() as store:
            assert {r["input"] for r in store.history(limit=100)} == {f"first open by {n}" for n in names}
