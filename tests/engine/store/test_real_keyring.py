"""Against a real Secret Service: gnome-keyring-daemon in its own D-Bus session, used through `keyring`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CHILD = Path(__file__).parent / "children" / "real_keyring.py"


@pytest.fixture()
def secret_service(tmp_path, child_env):
    """Run child steps inside `dbus-run-session` with an unlocked gnome-keyring (own HOME, so nothing real is touched)."""
    missing = [tool for tool in ("dbus-run-session", "gnome-keyring-daemon") if not shutil.which(tool)]
    if missing:
        pytest.skip(f"no real keyring service: {', '.join(missing)} not installed (Debian: dbus, gnome-keyring)")
    home = tmp_path / "home"
    (home / ".local" / "share").mkdir(parents=True)
    env = child_env(HOME=str(home), XDG_DATA_HOME=str(home / ".local" / "share"), XDG_CONFIG_HOME=str(home / ".config"),
                    XDG_RUNTIME_DIR=str(home))
    for name in ("PYTHON_KEYRING_BACKEND", "HUSHWRITE_PASSPHRASE", "DBUS_SESSION_BUS_ADDRESS", "GNOME_KEYRING_CONTROL"):
        env.pop(name, None)

    def run(*steps: str, folder: Path) -> list[dict]:
        commands = " && ".join(f"'{sys.executable}' '{CHILD}' {step} '{folder}'" for step in steps)
        script = f"printf 'test-login' | gnome-keyring-daemon --unlock --components=secrets >/dev/null && {commands}"
        result = subprocess.run(["dbus-run-session", "--", "sh", "-c", script], capture_output=True, text=True,
                                timeout=60, env=env)
        lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
        if not lines or not lines[0]["secure"]:
            pytest.skip(f"gnome-keyring did not start a Secret Service here: {result.stderr.strip()[-300:]}")
        assert result.returncode == 0, result.stderr
        return lines

    return run


def test_key_lives_in_the_real_keyring_and_survives_processes(secret_service, tmp_path):
    folder = tmp_path / "data"
    probe, create, read, rotate, forget = secret_service("probe", "create", "read", "rotate", "forget", folder=folder)
    assert probe["backend"] == "keyring.backends.SecretService"
    assert create["source"] == "keyring" and create["account"].startswith("store-key-")
    assert read["key_len"] == 32 and read["history"] == ["Zqx keyring secret text"]
    assert not read["key_on_disk"] and not read["text_on_disk"]
    assert rotate["old_gone"] and rotate["new"] != create["account"] and rotate["history"] == 1
    assert forget["entry_gone"] and forget["files"] == []
