"""`create DIR` makes a store; `open DIR` tries to open it (prints the error); exit code from the error."""

import sys

from engine.errors import HushwriteError
from engine.store import Store, keys

keys.DEFAULT_KDF = keys.Scrypt(n=2**12)
action, folder = sys.argv[1], sys.argv[2]
try:
    with Store.open(folder, passphrase="read only passphrase") as store:
        if action == "create":
            store.dict_add("Hushwrite")
        else:
            print(store.dictionary_words())
except HushwriteError as exc:
    print(f"hushwrite: {exc}", file=sys.stderr)
    sys.exit(exc.exit_code)
