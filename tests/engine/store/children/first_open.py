"""One of several processes that open a store that does not exist yet, all at the same moment
(the window, the tray and a CLI command started together on a fresh machine). Prints `ok`."""

import sys
import time

from engine.store import Store
from engine.store.errors import StoreError

folder, name, start_at = sys.argv[1], sys.argv[2], float(sys.argv[3])
time.sleep(max(0.0, start_at - time.time()))
try:
    with Store.open(folder) as store:
        store.add_run(name, f"first open by {name}", "out")
except StoreError as exc:
    print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
    sys.exit(1)
print("ok")
