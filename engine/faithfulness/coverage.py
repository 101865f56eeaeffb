"""What a rewrite must still say: every clause of the source, and every complaint in it.

- A dropped clause: a clause of the source with three or more content words of which the candidate
  has none (one in four of a longer clause may be a stray match) ("... but the weather on sunday was awful so we basically sat in a pub in kilbrae all
  day" -> "... and the weather was awful on Sunday"). A rewording keeps some of a clause's words;
  losing all of them is losing what it said.
- A dropped complaint: a word of the source that judges something as bad ("annoying", "confusing",
  "cracked", "awful", "stuck") that the candidate does not have in any form. Softening "still
  confusing" into "remains unclear", or leaving "its really annoying" out, changes what the writer
  tells the reader as surely as dropping a "not".
- Dropped words (asked for by a caller that shortens, `dropped_words`): content words of the source
  the candidate has in no form, more of them than the new words it brings in their place. "top with
  berries or a sliced banana" -> "top with a banana" loses the berries; "finished" -> "completed"
  swaps one word for another and loses nothing. Words the caller knows carry no fact ("really",
  "please note") may go.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from .negation import content_words, stem
from .policy import Problem

# Words that judge something as bad or going wrong, with their forms.
_COMPLAINT = re.compile(
    r"\b(?:annoy(?:ing|ed|s|ance)?|awful(?:ly)?|terribl[ey]|horribl[ey]|dreadful|bad(?:ly)?|worse|worst|poor(?:ly)?|"
    r"confus(?:ing|ed|ion)|broken?|crack(?:ed|s)?|damaged?|faulty|faults?|leak(?:s|ed|ing|y)?|noisy|rude(?:ly)?|"
    r"slow(?:ly|er)?|overdue|dirty|disappoint(?:ing|ed|ment)?|frustrat(?:ing|ed|ion)|mushy|soggy|stale|overpriced|"
    r"useless|unhelpful|difficult|problems?|issues|errors?|fail(?:s|ed|ing|ure)?|stuck|wrong|unclear|exhausted|"
    r"painful|boring|mediocre|downsides?|complain(?:t|ts|ed|ing)?|mistakes?|trouble|hassle|nightmare|"
    r"disaster|ruin(?:ed|s)?|mess|messy|upset|angry|unhappy|let(?: \w+)? down|defect(?:s|ive)?|"
    r"scratch(?:ed|es)?|stain(?:ed|s)?|filthy|cramped|uncomfortable|unreliable|flaky|buggy|crash(?:es|ed|ing)?|"
    r"freez(?:es|ing)|froze|outdated|out of date|out of service)\b",
    re.I,
)
_CLAUSE_BREAK = re.compile(r"[,;:.!?()\n]|\s[-–—]\s|\b(?:and|but|so|because|since|although|though|while|which|"
                           r"who|whereas|or)\b", re.I)


def _kept(word: str, candidate_stems: set[str]) -> bool:
    s = stem(word)
    return s in candidate_stems or any(len(s) >= 4 and len(c) >= 4 and s[:4] == c[:4] for c in candidate_stems)


def dropped_clause_problems(source: str, candidate: str, min_words: int = 3) -> list[Problem]:
    """The first clause of the source with `min_words` or more distinct content words of which the
    candidate has none in any form (or, in a clause of four or more, at most one in four)."""
    cand = {stem(w) for w in content_words(candidate)}
    for clause in _CLAUSE_BREAK.split(source):
        words = content_words(clause)
        distinct = set(words)  # a long clause may keep a stray word ("all day" -> "3 days") and still be gone
        if len(distinct) >= min_words and sum(_kept(w, cand) for w in distinct) <= len(distinct) // 4:
            return [Problem("dropped", "clause", " ".join(clause.split()))]
    return []


def complaints(text: str) -> list[str]:
    """The words of a text that judge something as bad, as written."""
    return [m.group() for m in _COMPLAINT.finditer(text)]


def dropped_complaint_problems(source: str, candidate: str) -> list[Problem]:
    """A complaint word of the source that the candidate has in no form ("confusing" -> "unclear")."""
    def key(word: str) -> str:
        return re.sub(r"\W|\bof\b", "", word.lower())[:5]  # "out of date" = "outdated"

    have = {key(c) for c in complaints(candidate)}
    for word in complaints(source):
        if key(word) not in have:
            return [Problem("dropped", "complaint", word)]
    return []


def dropped_words(source: str, candidate: str, free: set[str] = frozenset(), swaps: bool = True) -> list[str]:
    """Content words of the source (distinct, as written) that the candidate has in no form, when
    there are more of them than content words the candidate adds (`swaps=False`: any of them);
    empty otherwise. `free`: lowercase words that may go (fillers, hedges; their misspellings within
    one letter count too)."""
    src = list(dict.fromkeys(content_words(source)))
    cand = list(dict.fromkeys(content_words(candidate)))
    src_stems, cand_stems = {stem(w) for w in src}, {stem(w) for w in cand}
    lost = [w for w in src if not _kept(w, cand_stems) and w not in free and not _near(w, free)]
    added = [w for w in cand if not _kept(w, src_stems)]
    return lost if len(lost) > (len(added) if swaps else 0) else []


def added_words(source: str, candidate: str) -> list[str]:
    """Content words of the candidate (distinct, as written) that the source has in no form."""
    src_stems = {stem(w) for w in content_words(source)}
    return [w for w in dict.fromkeys(content_words(candidate)) if not _kept(w, src_stems)]


def _near(word: str, words: set[str]) -> bool:
    """A misspelling of one of `words` ("definately", "alredy")."""
    return len(word) >= 6 and any(abs(len(w) - len(word)) <= 1 and SequenceMatcher(None, w, word).ratio() >= 0.85
                                  for w in words)


_TITLE = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Mx|Prof|Sir|Madam|Dame|Lord|Lady)\b\.?", re.I)


def added_title_problems(source: str, candidate: str) -> list[Problem]:
    """A title the source does not give anyone ("Thanks so much, Fern!" -> "Thanks so much, Dr. Fern.")."""
    have = {m.group().rstrip(".").lower() for m in _TITLE.finditer(source)}
    for m in _TITLE.finditer(candidate):
        if m.group().rstrip(".").lower() not in have and (m.group()[0].isupper() or m.group().endswith(".")):
            return [Problem("added", "title", m.group())]
    return []
