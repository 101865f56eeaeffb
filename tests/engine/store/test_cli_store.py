"""The store's CLI commands, driven the way the main CLI drives them (errors -> `hushwrite: ...`, exit code)."""

from __future__ import annotations

import argparse
import io
import json
import os
import sys

import pytest

from hushwrite.cli.store import register
from engine.errors import HushwriteError
from engine.store import Store


def hushwrite(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="hushwrite")
    parser.add_argument("--data-dir")
    parser.add_argument("--passphrase-fd", type=int)
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    try:
        return args.func(args)
    except HushwriteError as exc:
        print(f"hushwrite: {exc}", file=sys.stderr)
        return exc.exit_code


def pipe_with(text: str) -> int:
    read_end, write_end = os.pipe()
    os.write(write_end, (text + "\n").encode())
    os.close(write_end)
    return read_end


def test_dict_commands(store_env, capsys):
    assert hushwrite("dict", "add", "Hushwrite", "Zettelkasten") == 0
    assert hushwrite("dict", "add", "Hushwrite") == 0
    assert "already there: Hushwrite" in capsys.readouterr().out
    assert hushwrite("dict", "list") == 0
    assert capsys.readouterr().out.split() == ["Hushwrite", "Zettelkasten"]
    assert hushwrite("dict", "remove", "Zettelkasten", "Nope") == 1
    captured = capsys.readouterr()
    assert "removed: Zettelkasten" in captured.out and "not in the dictionary: Nope" in captured.err
    assert hushwrite("dict", "add", "two\nlines") == 2
    assert capsys.readouterr().err.startswith("hushwrite: A dictionary entry")


def test_history_command(store_env, capsys):
    assert hushwrite("history") == 0
    assert "No history yet." in capsys.readouterr().out
    with Store.open() as store:
        for i in range(5):
            store.add_run("rewrite", f"draft number {i}\nsecond line", f"polished {i}", kind="friendly", model="smollm2")
    assert hushwrite("history", "--limit", "2") == 0
    out = capsys.readouterr().out
    assert out.count("rewrite (friendly)  [smollm2]") == 2 and "draft number 4 second line" in out
    assert hushwrite("history", "--search", "NUMBER 3", "--json") == 0
    assert [r["output"] for r in json.loads(capsys.readouterr().out)] == ["polished 3"]
    assert hushwrite("history", "--search", "nothing like it") == 0
    assert "No matching runs." in capsys.readouterr().out
    with pytest.raises(SystemExit):
        hushwrite("history", "--limit", "0")


def test_style_commands(store_env, capsys, monkeypatch, tmp_path):
    assert hushwrite("style", "show") == 0
    assert "tone: (none)" in capsys.readouterr().out
    assert hushwrite("style", "set", "--text", "Plain words, short sentences.", "--tone", "concise") == 0
    assert hushwrite("style", "show") == 0
    out = capsys.readouterr().out
    assert "tone: concise" in out and "Plain words, short sentences." in out
    monkeypatch.setattr(sys, "stdin", io.StringIO("From standard input.\n"))
    assert hushwrite("style", "set", "--text", "-") == 0
    profile_file = tmp_path / "style.txt"
    profile_file.write_text("From a file.", encoding="utf-8")
    assert hushwrite("style", "set", "--file", str(profile_file), "--clear-tone") == 0
    with Store.open() as store:
        assert store.style_profile() == {"text": "From a file.", "tone": None}
    assert hushwrite("style", "set") == 2
    assert "Nothing to set" in capsys.readouterr().err


def test_global_options_data_dir_and_passphrase_fd(store_env, monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("HUSHWRITE_PASSPHRASE")
    other = tmp_path / "elsewhere"
    assert hushwrite("--data-dir", str(other), "--passphrase-fd", str(pipe_with("fd passphrase 123")),
                     "dict", "add", "Portable") == 0
    assert (other / "store.db").exists() and not store_env.exists()
    monkeypatch.setattr("engine.store.keys._fd_cache", {})
    assert hushwrite("--data-dir", str(other), "--passphrase-fd", str(pipe_with("not it at all")), "dict", "list") == 2
    assert "hushwrite: Wrong passphrase" in capsys.readouterr().err


def test_store_passwd_command(store_env, monkeypatch, capsys):
    assert hushwrite("dict", "add", "Keep") == 0
    assert hushwrite("store", "passwd", "--new-passphrase-fd", str(pipe_with("the next passphrase"))) == 0
    assert "New passphrase set." in capsys.readouterr().out
    monkeypatch.setenv("HUSHWRITE_PASSPHRASE", "the next passphrase")
    assert hushwrite("dict", "list") == 0
    assert capsys.readouterr().out.split() == ["Keep"]


def test_store_export_import_commands(store_env, monkeypatch, tmp_path, capsys):
    file = tmp_path / "backup.hwx"
    monkeypatch.setenv("HUSHWRITE_FILE_PASSPHRASE", "export file passphrase")
    assert hushwrite("dict", "add", "Exported") == 0
    assert hushwrite("store", "export", str(file)) == 0
    assert hushwrite("store", "export", str(file)) == 2
    assert "already exists" in capsys.readouterr().err
    other = tmp_path / "other"
    assert hushwrite("--data-dir", str(other), "store", "import", str(file)) == 0
    assert "Imported: 0 history, 1 dictionary" in capsys.readouterr().out
    assert hushwrite("--data-dir", str(other), "store", "import", str(file), "--replace") == 2
    assert "add --yes" in capsys.readouterr().err
    assert hushwrite("--data-dir", str(other), "store", "import", str(file), "--replace", "--yes") == 0


def test_store_info_check_quarantine(store_env, monkeypatch, capsys):
    assert hushwrite("dict", "add", "Word") == 0
    monkeypatch.delenv("HUSHWRITE_PASSPHRASE")  # info does not unlock
    assert hushwrite("store", "info") == 0
    out = capsys.readouterr().out
    assert "key: passphrase (scrypt)" in out and "mode 0o600" in out
    monkeypatch.setenv("HUSHWRITE_PASSPHRASE", "correct horse battery staple")
    assert hushwrite("store", "check") == 0
    assert "healthy" in capsys.readouterr().out
    assert hushwrite("store", "quarantine") == 2
    assert (store_env / "store.db").exists()
    assert hushwrite("store", "quarantine", "--yes") == 0
    assert "nothing was deleted" in capsys.readouterr().out
    assert not (store_env / "store.db").exists() and list((store_env / "quarantine").iterdir())


def test_forget_needs_all_and_confirmation(store_env, capsys):
    assert hushwrite("dict", "add", "Word") == 0
    with pytest.raises(SystemExit) as caught:
        hushwrite("forget")
    assert caught.value.code == 2
    assert hushwrite("forget", "--all") == 2
    assert "add --yes" in capsys.readouterr().err and (store_env / "store.db").exists()
    assert hushwrite("forget", "--all", "--yes") == 0
    assert "Forgot everything" in capsys.readouterr().out
    assert list(store_env.iterdir()) == []
    assert hushwrite("forget", "--all") == 0
    assert "Nothing to forget" in capsys.readouterr().out
