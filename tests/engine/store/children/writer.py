"""One of two concurrent writers: wait for the shared start time, then write N times. Prints `ok N`."""

import sys
import time

from engine.store import Store

folder, name, count, start_at = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
with Store.open(folder) as store:
    time.sleep(max(0.0, start_at - time.time()))
    for i in range(count):
        store.add_run(name, f"{name} {i}", "out")
        store.cache_put(f"{name}-{i}", "summary")
        store.set_setting(f"last-{name}", i)
        if i % 25 == 0:
            with store.writing() as db:  # a slow transaction: the other writer must wait, not fail
                db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('slow', '1')")
                time.sleep(0.2)
        store.history(limit=5)
print(f"ok {count}")
