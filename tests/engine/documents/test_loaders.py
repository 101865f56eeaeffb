"""Every loader on real files written here, and every refusal as a clear InputError."""

from __future__ import annotations

import docx
import pytest
from pypdf import PdfReader, PdfWriter

from engine.documents import MAX_FILE_BYTES, Limits, load_document
from engine.errors import InputError
from pdfmaker import image_pdf, text_pdf


def test_txt_in_a_legacy_encoding_is_decoded(tmp_path):
    p = tmp_path / "letter.txt"
    p.write_bytes("Chère Amélie,\n\nLe café était très bon. Nous avons goûté les crêpes près de la fenêtre.\n".encode("cp1252"))
    doc = load_document(p)
    assert "Chère Amélie" in doc.text and "café était très" in doc.text
    assert doc.format == "txt"


def test_markdown_headings_become_sections(tmp_path):
    p = tmp_path / "notes.md"
    p.write_text("# Trip notes\n\nWe left early.\n\n## Day one\n\nRain all day.\n\n## Day two\n\nSunshine.\n", encoding="utf-8")
    doc = load_document(p)
    assert doc.title == "Trip notes"
    assert [s.title for s in doc.sections] == ["Trip notes", "Day one", "Day two"]
    assert doc.text[doc.sections[1].start:doc.sections[1].end].strip() == "## Day one\n\nRain all day."


def test_chapter_lines_in_plain_text_are_sections_but_body_lines_are_not(tmp_path):
    p = tmp_path / "book.txt"
    p.write_text(
        "CHAPTER 1. The Start.\n\nIt began.\n\nBook II of the series was on the shelf, he said.\n\n"
        "CHAPTER 2. A Long Title That Wraps\nOnto A Second Line.\n\nThen it went on.\n",
        encoding="utf-8",
    )
    doc = load_document(p)
    assert [s.title for s in doc.sections] == ["CHAPTER 1. The Start", "CHAPTER 2. A Long Title That Wraps Onto A Second Line"]


def test_docx_paragraphs_headings_and_tables(tmp_path):
    d = docx.Document()
    d.add_heading("Quarterly report", 0)
    d.add_heading("Sales", 1)
    d.add_paragraph("Sales rose by 12 percent in the north.")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Region", "Growth"
    table.cell(1, 0).text, table.cell(1, 1).text = "North", "12%"
    d.add_heading("Costs", 1)
    d.add_paragraph("Costs stayed flat.")
    p = tmp_path / "report.docx"
    d.save(p)
    doc = load_document(p)
    assert doc.title == "Quarterly report"
    assert [s.title for s in doc.sections] == ["Quarterly report", "Sales", "Costs"]
    assert "Sales rose by 12 percent" in doc.text and "North | 12%" in doc.text and "Costs stayed flat." in doc.text


def test_pdf_text_pages_and_outline(tmp_path):
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(text_pdf([["The committee met on Monday (briefly)."], ["It approved the budget."]]))
    doc = load_document(plain)
    assert doc.pages == 2
    assert "The committee met on Monday (briefly)." in doc.text and "It approved the budget." in doc.text
    w = PdfWriter()
    w.append(PdfReader(plain))
    w.add_outline_item(title="Meeting", page_number=0)
    w.add_outline_item(title="Decision", page_number=1)
    marked = tmp_path / "marked.pdf"
    w.write(marked)
    doc = load_document(marked)
    assert [s.title for s in doc.sections] == ["Meeting", "Decision"]
    assert doc.text[doc.sections[1].start:].startswith("It approved")


def test_pdf_with_only_an_owner_password_is_read(tmp_path):
    src = tmp_path / "src.pdf"
    src.write_bytes(text_pdf([["Open to read, locked to edit."]]))
    w = PdfWriter()
    w.append(PdfReader(src))
    w.encrypt(user_password="", owner_password="owner")
    p = tmp_path / "restricted.pdf"
    w.write(p)
    assert "Open to read" in load_document(p).text


def test_html_visible_text_title_and_headings(tmp_path):
    p = tmp_path / "page.html"
    p.write_text(
        "<html><head><title>Garden guide</title><style>p{color:red}</style></head><body>"
        "<h1>Planting</h1><p>Plant bulbs in autumn &amp; water them.</p><script>track()</script>"
        "<h2>Pruning</h2><p>Prune in <b>late</b> winter.</p></body></html>",
        encoding="utf-8",
    )
    doc = load_document(p)
    assert doc.title == "Garden guide"
    assert doc.text == "Planting\n\nPlant bulbs in autumn & water them.\n\nPruning\n\nPrune in late winter."
    assert [(s.title, s.level) for s in doc.sections] == [("Planting", 1), ("Pruning", 2)]


def _encrypted_pdf(tmp_path):
    src = tmp_path / "src.pdf"
    src.write_bytes(text_pdf([["Secret minutes."]]))
    w = PdfWriter()
    w.append(PdfReader(src))
    w.encrypt(user_password="hunter2", owner_password="owner")
    p = tmp_path / "locked.pdf"
    w.write(p)
    return p


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda t: t / "missing.txt", "file not found"),
        (lambda t: _write(t / "photo.jpg", b"\xff\xd8\xff\xe0 jpeg"), "'.jpg' files are not supported"),
        (lambda t: _write(t / "noext", b"text"), "files without an extension are not supported"),
        (_encrypted_pdf, "password-protected"),
        (lambda t: _write(t / "scan.pdf", image_pdf()), "scanned: no text to summarize"),
        (lambda t: _write(t / "broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Cat"), "damaged or is not a real .pdf"),
        (lambda t: _write(t / "broken.docx", b"PK\x03\x04 not really a zip"), "damaged or is not a real .docx"),
        (lambda t: _write(t / "empty.txt", b""), "is empty"),
        (lambda t: _write(t / "blank.md", b"  \n\n \t\n"), "is empty"),
        (lambda t: _write(t / "binary.txt", b"\x00\x01\x02" * 100), "binary"),
        (lambda t: _empty_docx(t / "empty.docx"), "is empty"),
        (lambda t: t, "is a folder"),
    ],
)
def test_refusals_are_clear_input_errors(tmp_path, make, message):
    path = make(tmp_path)
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(".", r"\.")):
        load_document(path)


def test_file_over_the_size_policy_is_refused_before_reading(tmp_path):
    p = tmp_path / "huge.txt"
    with open(p, "wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)  # sparse: no real disk use
    with pytest.raises(InputError, match="the limit is 50 MB"):
        load_document(p)


def test_text_over_the_character_policy_is_refused(tmp_path):
    p = tmp_path / "long.txt"
    p.write_text("word " * 400, encoding="utf-8")
    with pytest.raises(InputError, match=r"400 words of text \(2,000 characters\); the limit is 1,000 characters"):
        load_document(p, limits=Limits(text_chars=1000))


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


def _empty_docx(path):
    docx.Document().save(path)
    return path


def test_docx_whose_main_part_is_not_a_document_is_damaged_not_a_crash(tmp_path):
    """Found by benchmarks/fuzz_loaders.py: word/document.xml with another root element."""
    import zipfile

    from hostile import _template_parts

    p = tmp_path / "odd.docx"
    with zipfile.ZipFile(p, "w") as z:
        for name, data in _template_parts():
            if name == "word/document.xml":
                data = b'<?xml version="1.0"?><w:note xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
            z.writestr(name, data)
    with pytest.raises(InputError, match="odd.docx is damaged: its word/document.xml holds no document body"):
        load_document(p)
