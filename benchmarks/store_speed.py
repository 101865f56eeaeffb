"""Encrypted store vs plain sqlite3 on the same schema, pragmas and code: open/unlock, insert, search.

    python benchmarks/store_speed.py [--rows 2000] [--repeat 5]

Prints medians over --repeat runs and the ratio encrypted / plain (1.00 = no cost).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlite_utils  # noqa: E402

from engine.store import Store, keys  # noqa: E402
from engine.store import db as dbmod  # noqa: E402
from engine.store.migrations import migrate  # noqa: E402

PASSPHRASE = "benchmark passphrase"


class NoLock:
    def close(self) -> None:
        pass


def plain_connect(path: Path) -> sqlite_utils.Database:
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=15)
    for pragma in ("busy_timeout = 15000", "journal_mode = WAL", "synchronous = FULL", "secure_delete = ON",
                   "temp_store = MEMORY"):
        conn.execute(f"PRAGMA {pragma}")
    return sqlite_utils.Database(conn)


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def workload(store: Store, rows: int, searches: int) -> dict[str, float]:
    text = "The quick brown fox jumps over the lazy dog. " * 20  # ~900 characters, a typical paragraph
    out = {}
    out["insert, one commit each (rows/s)"] = rows / timed(
        lambda: [store.add_run("proofread", f"{i} {text}", text, kind="formal", timings={"t": 1.0}) for i in range(rows)])

    def batch():
        with store.writing() as db:
            db["history"].insert_all(({"uid": f"b{i}", "created_at": "2024", "tool": "t", "input": f"{i} {text}",
                                       "output": text, "timings": "{}", "accepted_edits": "[]"}
                                      for i in range(rows * 5)))
    out["insert, one transaction (rows/s)"] = rows * 5 / timed(batch)
    out["search history LIKE (queries/s)"] = searches / timed(
        lambda: [store.history(limit=20, search=f"{i * 7} The quick") for i in range(searches)])
    out["cache get (lookups/s)"] = 2000 / timed(lambda: [store.cache_get(f"missing-{i}") for i in range(2000)])
    return out


def one_round(rows: int, searches: int) -> dict[str, dict[str, float]]:
    folder = Path(tempfile.mkdtemp(prefix="hushwrite-bench-"))
    try:
        enc_dir, plain_path = folder / "enc", folder / "plain.db"
        Store.open(enc_dir, passphrase=PASSPHRASE).close()
        salt = (enc_dir / "store.db").read_bytes()[:16]
        raw_key = keys.DEFAULT_KDF.derive(PASSPHRASE, salt)

        def open_raw_key():  # what keyring mode does after the keyring lookup
            db = dbmod.connect(enc_dir / "store.db", raw_key)
            migrate(db, enc_dir / "store.db")
            db.close()

        def open_plain():
            db = plain_connect(plain_path)
            migrate(db, plain_path)
            db.close()

        open_plain()  # create
        results = {
            "encrypted": {
                "open + unlock, raw key (ms)": 1000 * statistics.median(timed(open_raw_key) for _ in range(9)),
                "open + unlock, passphrase/scrypt (ms)": 1000 * timed(lambda: Store.open(enc_dir, passphrase=PASSPHRASE).close()),
            },
            "plain": {"open + unlock, raw key (ms)": 1000 * statistics.median(timed(open_plain) for _ in range(9))},
        }
        enc = Store.open(enc_dir, passphrase=PASSPHRASE)
        plain = Store(plain_path, plain_connect(plain_path), enc.meta, NoLock())
        try:
            results["encrypted"].update(workload(enc, rows, searches))
            results["plain"].update(workload(plain, rows, searches))
        finally:
            enc.close()
            plain.close()
        return results
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rounds = [one_round(args.rows, args.searches) for _ in range(args.repeat)]
    import sqlcipher3
    cipher = sqlcipher3.connect(":memory:").execute("PRAGMA cipher_version").fetchone()[0]
    print(f"SQLCipher {cipher} vs sqlite3 {sqlite3.sqlite_version}; {args.rows} rows, medians of {args.repeat} runs")
    print(f"{'measure':42} {'encrypted':>12} {'plain':>12} {'enc/plain':>10}")
    for name in rounds[0]["encrypted"]:
        enc = statistics.median(r["encrypted"][name] for r in rounds)
        plain_values = [r["plain"][name] for r in rounds if name in r["plain"]]
        if plain_values:
            plain = statistics.median(plain_values)
            print(f"{name:42} {enc:12.1f} {plain:12.1f} {enc / plain:10.2f}")
        else:
            print(f"{name:42} {enc:12.1f} {'-':>12} {'-':>10}")


if __name__ == "__main__":
    main()
