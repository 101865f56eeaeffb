"""Entry point of the frozen Hushwrite app (PyInstaller runs this file as __main__).

Same behaviour as the `hushwrite` console script (`hushwrite.cli:main`): a subcommand runs the CLI,
no subcommand opens the desktop app. Kept tiny: everything else lives in hushwrite/, engine/ and app/.
"""

import multiprocessing
import os
import sys


def _ensure_std_streams() -> None:
    # A windowed executable (Windows/macOS GUI build) starts with no console: sys.stdout/stderr are
    # None there, and a print() would raise. Send them to the null device instead.
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115


if __name__ == "__main__":
    if sys.argv[1:2] == ["--document-worker"]:  # engine/documents/isolation.py: read one document, exit
        from engine.documents.worker import main as document_worker

        sys.exit(document_worker())
    multiprocessing.freeze_support()
    _ensure_std_streams()
    if sys.argv[1:2] == ["--engine-worker"]:  # the engine process (engine/process/child.py)
        from engine.process.child import main as engine_worker

        sys.exit(engine_worker())
    from hushwrite.cli import main

    sys.exit(main())
