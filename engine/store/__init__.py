"""Hushwrite's encrypted local store: every piece of personal context, in one SQLCipher file.

Open it::

    from engine.store import Store
    with Store.open(data_dir=None, passphrase=None, interactive=None, passphrase_fd=None) as store:
        ...

`data_dir` defaults to HUSHWRITE_DATA_DIR or the platform data dir; the store is
`<data_dir>/store.db` (mode 0600) with `store.db.meta.json` (how to get the key;
nothing secret) and `store.db.lock`. The first open creates it. The key is 256
random bits in the OS keyring (service "hushwrite") when keyring has a secure
backend, else scrypt(passphrase) — see engine/store/keys.py. A passphrase comes
from `passphrase`, `passphrase_fd`, HUSHWRITE_PASSPHRASE, or a terminal prompt;
a run that needs one and cannot ask raises NoPassphrase at once (exit code 2).

History of tool runs
    add_run(tool, input, output, *, kind=None, model=None, timings=None, accepted_edits=None) -> int
    set_accepted_edits(run_id, edits) -> bool
    history(limit=20, search=None, tool=None) -> list[dict]   (newest first; timings/accepted_edits decoded)
    search_history(text, limit=20) -> list[dict];  get_run(run_id) -> dict | None
Personal dictionary (words proofreading must never change)
    dict_add(word) -> bool;  dict_remove(word) -> bool;  dictionary_words() -> list[str]  (alias dict_list)
Style profile (goes into rewrite prompts)
    style_profile() -> {"text": str, "tone": str | None}
    set_style_profile(text=None, tone=None, *, clear_tone=False) -> dict
Summarize cache (chunk hash -> summary)
    cache_get(key) -> str | None;  cache_put(key, value) -> None
Your own tools (engine/tools/user.py decides what is valid)
    user_tools() -> list[dict];  save_user_tool(name, instruction, kind, shortcut="", replacing=None)
    delete_user_tool(name) -> bool
Personal settings (JSON values)
    get_setting(key, default=None);  set_setting(key, value);  delete_setting(key) -> bool;  settings() -> dict
Whole store
    change_key(to=None, new_passphrase=None, new_passphrase_fd=None, interactive=None) -> str
    export_to(file, passphrase, overwrite=False) -> Path;  import_from(file, passphrase, replace=False) -> dict
    check() -> list[str];  counts() -> dict;  key_source;  path;  data_dir;  close()
    Store.quarantine(data_dir=None) -> Path | None     (moves a damaged store aside; never deletes)
    Store.forget_all(data_dir=None) -> list[str]       (deletes store files and keyring entries)
    Store.files(data_dir=None) -> list[Path]

Errors are StoreError subclasses (exit code 2) from engine.store.errors: NoPassphrase,
WrongPassphrase, KeyMissing, NotAStore, CorruptStore, StoreBusy, StoreTooNew.
One Store object may be shared by threads (the window and the engine worker): its calls are
serialized by an internal lock. Other processes open their own Store — writers queue (WAL +
BEGIN IMMEDIATE + busy timeout), they never fail with "database is locked".
"""

from engine.store.errors import (CorruptStore, KeyMissing, NoPassphrase, NotAStore, StoreBusy, StoreError,
                                 StoreTooNew, WrongPassphrase)
from engine.store.store import Store

__all__ = ["Store", "StoreError", "NoPassphrase", "WrongPassphrase", "KeyMissing", "NotAStore", "CorruptStore",
           "StoreBusy", "StoreTooNew"]
