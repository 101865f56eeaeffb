"""Cut a document into the sentences we proofread, and mark what must never be "fixed".

Only prose is sent to the model: fenced and indented code blocks, table rows and link
definitions are skipped; markdown line prefixes (headings, list bullets, quote markers) stay
outside the sentence spans. Inside sentences, URLs, e-mail addresses, inline code, numbers,
quoted passages, markup characters and HTML tags are protected: an edit touching them is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..textsplit import split_sentences

_FENCE = re.compile(r"^\s*(```|~~~)")
_LINE_PREFIX = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+|>[ \t]*|(?:[-*+]|\d{1,3}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?)*")
_SKIP_LINE = re.compile(r"^(?: {4}|\t)|^\s*\||^\s*\[[^\]]+\]:\s|^\s*(?:[-*_]\s*){3,}$|^\s*<[^>]+>\s*$")
_PROTECT = re.compile(
    r"""(?:https?://|ftp://|www\.)\S+?(?=[.,;:!?)\]]*(?:\s|$))   # URLs (not their trailing punctuation)
      |[\w.+-]+@[\w-]+(?:\.[\w-]+)+                             # e-mail addresses
      |`[^`\n]*`                                                # inline code
      |\]\([^)\s]*\)                                            # markdown link targets
      |<[^>\n]+>                                                # HTML tags, <autolinks>
      |"[^"\n]*"|“[^”\n]*”                                      # quoted words are someone else's
      |\b\w*\d(?:[\w:/%-]|[.,](?=\w))*                          # numbers, dates, versions, 3rd
      |[*_~]{1,3}|[\[\]]                                        # emphasis and link markup
      |(?<!\w)[@#]\w+                                           # handles, hashtags
      |\b\w+(?:[/\\]\w+)+\.?\w*                                 # paths
      |\b\w+\.(?:py|js|md|txt|json|html?|exe|com|org|net|io)\b  # file and domain names
      |\b\w+_\w+\b|\b[a-z]+[A-Z]\w*                              # identifiers
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    in_markup: bool = False  # a heading, list item or quote line: no capitalisation rule
    ends_line: bool = False  # nothing but spaces follows it on its line


def sentences(text: str) -> list[Sentence]:
    """The prose sentences of `text`, with exact offsets (everything else is left untouched)."""
    out = []
    in_fence = False
    for line in re.finditer(r"[^\n]*", text):
        content = line.group()
        if _FENCE.match(content):
            in_fence = not in_fence
            continue
        if in_fence or not content.strip() or _SKIP_LINE.search(content):
            continue
        prefix = _LINE_PREFIX.match(content).end()
        for s, e in split_sentences(text, line.start() + prefix, line.end()):
            if re.search(r"[A-Za-z]{2}", text[s:e]):
                out.append(Sentence(s, e, text[s:e], prefix > 0, not text[e : line.end()].strip()))
    return out


def protected_spans(sentence: str) -> list[tuple[int, int]]:
    """Spans of a sentence that proofreading must leave exactly as written."""
    return [(m.start(), m.end()) for m in _PROTECT.finditer(sentence)]


def touches(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether an edit of [start, end) overlaps or (for insertions) sits inside a protected span."""
    for s, e in spans:
        if (start < e and s < end) or (start == end and s < start < e):
            return True
    return False
