"""Fixtures for the frozen-bundle smoke tests: where the bundle is, and how to run it offline.

The bundle is dist/hushwrite/ (build it with `packaging/build`), or HUSHWRITE_BUNDLE=DIR.
Every run goes through `offline`: `unshare -n` (a new network namespace with only a loopback
that is down), falling back to `unshare -rn` for non-root users. On runners without unshare
(macOS, Windows) set HUSHWRITE_SMOKE_NETWORK=allow to run without isolation; otherwise a missing
unshare fails the tests rather than quietly running them online.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def bundle_dir() -> Path:
    return Path(os.environ.get("HUSHWRITE_BUNDLE", ROOT / "dist" / "hushwrite")).resolve()


@pytest.fixture(scope="session")
def bundle() -> Path:
    path = bundle_dir()
    if not path.is_dir():
        pytest.fail(f"no bundle at {path}: build it first with packaging/build")
    return path


@pytest.fixture(scope="session")
def exe(bundle) -> Path:
    names = ("hushwrite-cli.exe", "hushwrite.exe") if sys.platform == "win32" else ("hushwrite",)
    for name in names:
        if (bundle / name).is_file():
            return bundle / name
    pytest.fail(f"no hushwrite executable in {bundle}")


@pytest.fixture(scope="session")
def offline() -> list[str]:
    """Command prefix that runs a program with no network at all."""
    if os.environ.get("HUSHWRITE_SMOKE_NETWORK") == "allow":
        return []
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.fail("unshare (util-linux) is needed to run the bundle offline; "
                    "set HUSHWRITE_SMOKE_NETWORK=allow where it cannot exist")
    for prefix in ([unshare, "-n"], [unshare, "-rn"]):
        probe = subprocess.run([*prefix, "cat", "/proc/net/dev"], capture_output=True, text=True)
        if probe.returncode == 0:
            interfaces = {line.split(":")[0].strip() for line in probe.stdout.splitlines()[2:]}
            assert interfaces == {"lo"}, f"{prefix} left network interfaces: {interfaces}"
            return prefix
    pytest.fail(f"cannot create a network namespace with unshare: {probe.stderr.strip()}")


@pytest.fixture()
def clean_env(tmp_path) -> dict:
    """An environment that cannot lean on the source tree or the developer's Python."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "HUSHWRITE_", "VIRTUAL_ENV", "LD_LIBRARY_PATH", "QT_"))}
    env["HUSHWRITE_DATA_DIR"] = str(tmp_path / "data")
    env["HOME"] = str(tmp_path / "home")
    (tmp_path / "home").mkdir()
    return env


@pytest.fixture()
def run_bundle(exe, offline, clean_env, tmp_path):
    """run_bundle(args, stdin=None, env=None, timeout=180): the frozen executable, offline, in tmp_path."""

    def run(args: list[str], stdin: str | None = None, env: dict | None = None,
            timeout: float = 180) -> subprocess.CompletedProcess:
        return subprocess.run([*offline, str(exe), *args], input=stdin, capture_output=True, text=True,
                              env=clean_env if env is None else env, cwd=tmp_path, timeout=timeout)

    return run
