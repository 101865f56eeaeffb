"""Steps run in separate processes inside one D-Bus session with gnome-keyring: prints one JSON line each."""

import json
import sys
from pathlib import Path

import keyring

from engine.store import Store, keys

step, folder = sys.argv[1], Path(sys.argv[2])
out: dict = {"step": step, "backend": type(keyring.get_keyring()).__module__, "secure": keys.backend_is_secure()}
if step == "probe":
    pass
elif step == "create":
    with Store.open(folder) as store:
        store.add_run("rewrite", "Zqx keyring secret text", "out")
        out.update(source=store.key_source, account=store.meta.key.account)
elif step == "read":
    account = json.loads((folder / "store.db.meta.json").read_text())["account"]
    secret = keyring.get_password(keys.SERVICE, account)
    raw = b"".join(p.read_bytes() for p in folder.iterdir() if p.is_file())
    with Store.open(folder) as store:
        out.update(key_len=len(bytes.fromhex(secret)), history=[r["input"] for r in store.history()],
                   key_on_disk=secret.encode() in raw or bytes.fromhex(secret) in raw, text_on_disk=b"Zqx" in raw)
elif step == "rotate":
    with Store.open(folder) as store:
        old = store.meta.key.account
        store.change_key()
        out.update(old_gone=keyring.get_password(keys.SERVICE, old) is None, new=store.meta.key.account)
    with Store.open(folder) as store:
        out.update(history=len(store.history()))
elif step == "forget":
    account = json.loads((folder / "store.db.meta.json").read_text())["account"]
    Store.forget_all(folder)
    out.update(entry_gone=keyring.get_password(keys.SERVICE, account) is None, files=sorted(p.name for p in folder.iterdir()))
print(json.dumps(out))
