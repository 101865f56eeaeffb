"""Start Hushwrite in the tray at login: XDG autostart on Linux, the Run key on Windows,
a LaunchAgent on macOS. Linux is tested here; the other two are written to their documented
formats (see docs/tray.md) and share the same three functions:

    enable(command=None)   # command: argv list; default = this hushwrite with --tray
    disable()
    is_enabled() -> bool
"""

from __future__ import annotations

import os
import plistlib
import shlex
import sys
from pathlib import Path

APP_ID = "hushwrite"
LAUNCH_AGENT_LABEL = "org.hushwrite.tray"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE = "Hushwrite"


def default_command() -> list[str]:
    """How to start this installation in the tray: the frozen executable, or `python -m hushwrite`."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--tray"]
    return [sys.executable, "-m", "hushwrite", "--tray"]


# -- Linux (XDG autostart) -------------------------------------------------------------------------
def xdg_autostart_file(env=None) -> Path:
    env = os.environ if env is None else env
    base = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME", str(Path.home()))) / ".config")
    return Path(base) / "autostart" / f"{APP_ID}.desktop"


def _desktop_exec(argv: list[str]) -> str:
    # Desktop Entry spec: arguments quoted with double quotes; ", `, $ and \\ escaped inside them
    def quote(arg: str) -> str:
        if arg and all(c.isalnum() or c in "-_./=:+," for c in arg):
            return arg
        return '"' + "".join("\\" + c if c in '"`$\\' else c for c in arg) + '"'

    return " ".join(quote(a).replace("%", "%%") for a in argv)


def desktop_entry(argv: list[str]) -> str:
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=Hushwrite\n"
        "Comment=Private, local writing assistant (tray)\n"
        f"Exec={_desktop_exec(argv)}\n"
        "Icon=hushwrite\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
        "NoDisplay=false\n"
    )


# -- macOS (LaunchAgent) ---------------------------------------------------------------------------
def launch_agent_file() -> Path:
    return Path.home() / "Library" / "LaunchAgents" / f"{LAUNCH_AGENT_LABEL}.plist"


def launch_agent_plist(argv: list[str]) -> bytes:
    return plistlib.dumps({"Label": LAUNCH_AGENT_LABEL, "ProgramArguments": list(argv), "RunAtLoad": True,
                           "ProcessType": "Interactive", "KeepAlive": False})


# -- Windows (Run key) -----------------------------------------------------------------------------
def windows_run_value(argv: list[str]) -> str:
    import subprocess

    return subprocess.list2cmdline(argv)


# -- the three functions ---------------------------------------------------------------------------
def enable(command: list[str] | None = None) -> Path | str:
    """Turn autostart on; returns where it was written (a file, or the registry value)."""
    argv = list(command or default_command())
    if sys.platform.startswith("win"):
        import winreg

        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
            winreg.SetValueEx(key, RUN_VALUE, 0, winreg.REG_SZ, windows_run_value(argv))
        return f"HKCU\\{RUN_KEY}\\{RUN_VALUE}"
    path = launch_agent_file() if sys.platform == "darwin" else xdg_autostart_file()
    data = launch_agent_plist(argv) if sys.platform == "darwin" else desktop_entry(argv).encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return path


def disable() -> None:
    if sys.platform.startswith("win"):
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
                winreg.DeleteValue(key, RUN_VALUE)
        except FileNotFoundError:
            pass
        return
    path = launch_agent_file() if sys.platform == "darwin" else xdg_autostart_file()
    path.unlink(missing_ok=True)


def is_enabled() -> bool:
    if sys.platform.startswith("win"):
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                winreg.QueryValueEx(key, RUN_VALUE)
            return True
        except FileNotFoundError:
            return False
    path = launch_agent_file() if sys.platform == "darwin" else xdg_autostart_file()
    return path.is_file()


def parse_exec(line: str) -> list[str]:
    """Split a .desktop Exec value back into argv (for tests and diagnostics)."""
    return [a.replace("%%", "%") for a in shlex.split(line)]
