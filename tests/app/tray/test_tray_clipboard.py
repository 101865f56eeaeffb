"""Clipboard snapshot / restore: every format comes back byte for byte, and never over newer content."""

from __future__ import annotations

import pytest

from app.tray.clipboard import ClipboardSnapshot, current_fingerprint, read_formats
from app.qt import QGuiApplication, QMimeData

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


def _set(formats: dict[str, bytes]) -> None:
    md = QMimeData()
    for fmt, data in formats.items():
        md.setData(fmt, data)
    QGuiApplication.clipboard().setMimeData(md)


@pytest.fixture()
def clip(qapp):
    yield QGuiApplication.clipboard()
    QGuiApplication.clipboard().clear()


def test_snapshot_restores_every_format_byte_for_byte(clip):
    user = {"text/plain": "naïve café ✓".encode(), "image/png": PNG, "application/x-private": b"\x00\xff\x10"}
    _set(user)
    snap = ClipboardSnapshot.take()
    assert snap.formats == user
    clip.setText("the copied selection")  # what a simulated copy leaves there
    assert snap.restore_if(current_fingerprint()) is True
    assert read_formats() == user
    assert clip.text() == "naïve café ✓"


def test_restore_is_skipped_when_someone_copied_since(clip):
    _set({"text/plain": b"old"})
    snap = ClipboardSnapshot.take()
    clip.setText("our temporary text")
    ours = current_fingerprint()
    clip.setText("the user copied this meanwhile")
    assert snap.restore_if(ours) is False
    assert clip.text() == "the user copied this meanwhile"


def test_an_empty_clipboard_is_restored_as_empty(clip):
    clip.clear()
    snap = ClipboardSnapshot.take()
    assert snap.empty
    clip.setText("temporary")
    assert snap.restore_if(current_fingerprint()) is True
    assert read_formats() == {}


def test_fingerprint_changes_with_any_format(clip):
    _set({"text/plain": b"same", "image/png": PNG})
    a = current_fingerprint()
    _set({"text/plain": b"same", "image/png": PNG[:-1]})
    assert current_fingerprint() != a
