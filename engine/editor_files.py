"""Files the editor opens and saves: plain text, markdown and Word (.docx).

Opening goes through the document loaders (engine.documents: the same size limits and the same
isolation as summarizing a file), so a hostile file gives a clear error, never a hang. Saving
writes a temporary file next to the target and renames it over, so a crash mid-save never
leaves half a file where the user's work was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import InputError

EDITABLE = (".txt", ".md", ".markdown", ".docx")


def read_for_editor(path: str | os.PathLike[str]) -> str:
    """The text of a txt/md/docx file for the editor; InputError with plain words otherwise."""
    p = Path(path)
    if p.suffix.lower() not in EDITABLE:
        raise InputError(f"{p.name}: the editor opens .txt, .md and .docx files "
                         "(use Summarize a document… for PDF and web pages)")
    from .documents import load_document

    doc = load_document(p)
    return doc.text


def save_from_editor(path: str | os.PathLike[str], text: str) -> Path:
    """Write `text` to path as txt/md (UTF-8) or docx (a paragraph per blank-line-separated block,
    single newlines as line breaks inside it, which is how the loader reads it back)."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in EDITABLE:
        raise InputError(f"{p.name}: save as .txt, .md or .docx")
    if p.is_dir():
        raise InputError(f"{p} is a folder")
    folder = p.parent if str(p.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(f"cannot write in {folder}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            if suffix == ".docx":
                _write_docx(fh, text)
            else:
                fh.write(text.encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, p)
    except OSError as exc:
        with _suppress():
            os.unlink(tmp)
        raise InputError(f"could not save {p.name}: {exc.strerror}") from None
    except BaseException:
        with _suppress():
            os.unlink(tmp)
        raise
    return p


def _write_docx(fh, text: str) -> None:
    import docx

    document = docx.Document()
    for block in text.split("\n\n"):
        run = document.add_paragraph().add_run()
        for i, line in enumerate(block.split("\n")):
            if i:
                run.add_break()
            run.add_text(line)
    document.save(fh)


class _suppress:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return True
