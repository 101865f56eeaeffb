"""In a tiny tmpfs: write until the disk is full, then prove nothing committed was lost. Prints JSON."""

import json
import os
import sys

from engine.store import Store, StoreError, keys

keys.DEFAULT_KDF = keys.Scrypt(n=2**12)
folder = sys.argv[1]
committed, error = [], None
with Store.open(folder, passphrase="disk full passphrase") as store:
    try:
        for i in range(10_000):
            committed.append(store.add_run("summarize", f"row {i} " + os.urandom(6000).hex(), "out"))
    except StoreError as exc:
        error = str(exc)
    still_there = store.counts()["history"]
with Store.open(folder, passphrase="disk full passphrase") as store:
    reopened = store.counts()["history"]
    ids = {r["id"] for r in store.history(limit=100_000)}
    problems = store.check()
print(json.dumps({"committed": len(committed), "error": error, "still_there": still_there, "reopened": reopened,
                  "all_ids": ids >= set(committed), "problems": problems}))
