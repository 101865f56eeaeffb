"""JFLEG helpers for the proofreading benchmarks: read the set, (de)tokenize, score with `gleu`.

JFLEG sentences are tokenized ("society ." / "do n't"); the model sees normal text, and outputs
are tokenized back the same way before scoring, so GLEU compares like with like.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

DEFAULT_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "jfleg-dev"
_CLITICS = r"(n't|'s|'re|'ve|'ll|'d|'m)"


def read(folder: Path, name: str, limit: int | None = None) -> list[str]:
    lines = (folder / name).read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines[:limit] if limit else lines


def detokenize(s: str) -> str:
    s = " ".join(s.split())
    s = re.sub(r" ([.,!?;:%)\]])", r"\1", s)
    s = re.sub(r"([(\[$]) ", r"\1", s)
    s = re.sub(r"(\w) " + _CLITICS + r"\b", r"\1\2", s, flags=re.IGNORECASE)
    s = re.sub(r'" ([^"]*?) "', r'"\1"', s)
    return s


def tokenize(s: str) -> str:
    s = re.sub(r'([.,!?;:%()\[\]"$])', r" \1 ", s)
    s = re.sub(r"(\w)" + _CLITICS + r"\b", r"\1 \2", s, flags=re.IGNORECASE)
    return " ".join(s.split())


def retokenized(sources: list[str], outputs: list[str]) -> list[str]:
    """Outputs in the references' tokenization; an unchanged sentence keeps its exact source line."""
    return [src if out == detokenize(src) else tokenize(out) for src, out in zip(sources, outputs)]


def gleu(folder: Path, sources: list[str], hypothesis: list[str], limit: int | None) -> float:
    """GEC GLEU (the `gleu` package's CLI) of tokenized `hypothesis` lines against the 4 references."""
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        names = ["src", "ref0", "ref1", "ref2", "ref3"]
        for n in names:
            (t / n).write_text("\n".join(sources if n == "src" else read(folder, f"dev.{n}", limit)) + "\n", encoding="utf-8")
        (t / "hyp").write_text("\n".join(hypothesis) + "\n", encoding="utf-8")
        cmd = ["gleu", "-s", "src", "-r", *names[1:], "-o", "hyp", "-f"]
        out = subprocess.run(cmd, cwd=t, capture_output=True, text=True, check=True).stdout
    score = out.strip().split()[-1]
    return float(score)
