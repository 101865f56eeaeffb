"""Open a document → summarize with a progress bar, ETA and Cancel; unreadable files show an error
in the window with a way forward. Real model, real loaders."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine" / "documents"))  # the hostile-file builders
import hostile  # noqa: E402
from pdfmaker import text_pdf  # noqa: E402

SECTION = (
    "The city council approved a new plan for the river park. Work starts in spring and the first "
    "paths open in the summer. The budget is four million euros, shared by the city and the region. "
    "Residents asked for more trees, quiet areas and a playground, and the plan includes all three. "
)


def test_summarize_markdown_document_reports_progress(qtbot, window, tmp_path):
    doc = tmp_path / "river-park.md"
    doc.write_text("# River park\n\n" + "\n\n".join(f"## Part {i}\n\n{SECTION}" for i in range(1, 3)), encoding="utf-8")
    reports = []
    window.summarize_document(str(doc), "key-points")
    job = window.job
    assert job is not None
    job.progress.connect(lambda done, total, eta, stage: reports.append((done, total, eta, stage)))
    assert window.result.progress.isVisible() and window.result.stop_btn.text() == "Cancel"
    assert "river-park.md" in window.result.title.text()
    with qtbot.waitSignal(job.finished, timeout=300_000) as done:
        pass
    result = done.args[0]
    assert reports and reports[-1][1] >= 1  # the progress bar had something to show
    assert result.text.strip()
    assert window.result.output.toPlainText() == result.text
    assert not window.result.progress.isVisible()  # hidden again once done


def test_unreadable_document_shows_error_with_a_way_forward(qtbot, window, tmp_path):
    bad = tmp_path / "report.pdf"
    bad.write_bytes(b"%PDF-1.4\nthis is not really a pdf\n")
    window.summarize_document(str(bad), "summary")
    qtbot.waitUntil(lambda: window.job is None, timeout=60_000)
    banner = window.result.banner
    assert banner.isVisible() and banner.kind == "error"
    assert "report.pdf" in banner.label.text() and "Traceback" not in banner.label.text()
    assert banner.action.isVisible() and banner.action.text() == "Choose another file…"
    assert window.tool_actions["summary"].isEnabled()


def test_cancel_a_document_summary(qtbot, window, tmp_path):
    doc = tmp_path / "long.txt"
    doc.write_text("\n\n".join(SECTION * 3 for _ in range(30)), encoding="utf-8")
    window.summarize_document(str(doc), "summary")
    job = window.job
    with qtbot.waitSignal(job.progress, timeout=120_000):
        pass
    with qtbot.waitSignal(job.cancelled, timeout=5_000):
        qtbot.mouseClick(window.result.stop_btn, Qt.MouseButton.LeftButton)
    assert window.result.title.text().endswith("stopped")


def test_a_document_summary_resumes_from_the_encrypted_store(qtbot, window, tmp_path, monkeypatch):
    """With the store open, the worker thread keeps finished parts in it: summarizing the same
    document again reuses every part (no model call) and the progress line says so."""
    from engine.store import Store

    monkeypatch.setenv("HUSHWRITE_KEYRING", "off")
    store = Store.open(data_dir=tmp_path / "data", passphrase="a long enough passphrase", interactive=False)
    ctx = window.ctx
    ctx.store = store  # the session's context runs without a store; give it one for this test
    try:
        doc = tmp_path / "river-park.md"  # two parts of ~900 tokens: two chunks, then the final call
        part = "\n\n".join([SECTION] * 12)
        doc.write_text("# River park\n\n" + "\n\n".join(f"## Part {i}\n\n{part}" for i in range(1, 3)),
                       encoding="utf-8")
        results, stages = [], []
        for _ in range(2):
            window.summarize_document(str(doc), "key-points")
            job = window.job
            job.progress.connect(lambda done, total, eta, stage: stages.append(stage))
            with qtbot.waitSignal(job.finished, timeout=300_000) as done:
                pass
            results.append(done.args[0])
            qtbot.waitUntil(lambda: window.job is None, timeout=5_000)
        first, second = results
        assert first.chunks == 2 and first.computed >= 3 and first.reused == 0
        assert store.counts()["summary_cache"] == first.computed
        assert second.computed == 0 and second.reused == first.computed
        assert second.text == first.text
        assert any("kept from last time" in s for s in stages)
    finally:
        ctx.store = None
        store.close()


def test_zip_bomb_shows_a_banner_and_the_window_stays_usable(qtbot, window, tmp_path):
    """A docx whose document.xml expands to 1.5 GB: refused by its central directory in the
    reading child; the window shows the figures and goes on working."""
    bomb = tmp_path / "bomb.docx"
    hostile.docx_bomb(bomb)
    window.editor.set_text("Unsaved words the user typed.")
    window.summarize_document(str(bomb), "summary")
    qtbot.waitUntil(lambda: window.job is None, timeout=10_000)
    banner = window.result.banner
    assert banner.isVisible() and banner.kind == "error"
    assert "bomb.docx expands to 1.5 GB when unpacked" in banner.label.text()
    assert "the limit is 256 MB" in banner.label.text() and "Traceback" not in banner.label.text()
    assert window.editor.text() == "Unsaved words the user typed."
    # still usable: the next job runs
    assert window.tool_actions["summary"].isEnabled()
    good = tmp_path / "good.md"
    good.write_text("# Park\n\n" + SECTION, encoding="utf-8")
    window.summarize_document(str(good), "summary")
    job = window.job
    with qtbot.waitSignal(job.progress, timeout=120_000):  # loaded, and the model is at work
        pass
    with qtbot.waitSignal(job.cancelled, timeout=5_000):
        qtbot.mouseClick(window.result.stop_btn, Qt.MouseButton.LeftButton)


def test_cancel_while_a_document_is_loading(qtbot, window, tmp_path):
    """Cancel during the load itself (a 600-page PDF takes seconds to read): the reading child is
    killed and the job reports cancelled within a second."""
    lines = [f"Line {i}: the committee discussed the budget and the plan for the river park." for i in range(45)]
    pdf = tmp_path / "minutes.pdf"
    pdf.write_bytes(text_pdf([lines] * 600))
    window.summarize_document(str(pdf), "summary")
    job = window.job
    reports = []
    job.progress.connect(lambda *a: reports.append(a))
    qtbot.wait(500)  # the child is reading page after page now
    assert reports == []  # summarizing (which reports progress) has not begun: still loading
    t = time.monotonic()
    with qtbot.waitSignal(job.cancelled, timeout=5_000):
        qtbot.mouseClick(window.result.stop_btn, Qt.MouseButton.LeftButton)
    assert time.monotonic() - t < 1.5
    assert window.result.title.text().endswith("stopped")


def test_file_open_of_a_zip_bomb_shows_a_banner_and_keeps_the_text(qtbot, window, tmp_path):
    """File ▸ Open reads through the same isolated loader: the bomb is refused in well under a
    second with its figures, and the text in the editor stays."""
    bomb = tmp_path / "bomb.docx"
    hostile.docx_bomb(bomb)
    window.editor.set_text("Words the user typed.")
    with qtbot.waitSignal(window.file_opened, timeout=60_000) as opened:
        window.open_path(str(bomb))  # read off the UI thread
    assert opened.args == [False]
    banner = window.banner
    assert banner.isVisible() and banner.kind == "file"
    assert "bomb.docx expands to 1.5 GB when unpacked" in banner.label.text()
    assert window.editor.text() == "Words the user typed."
