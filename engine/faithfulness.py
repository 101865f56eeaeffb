"""The one faithfulness check every tool calls: does a candidate say what its source says?

    report = check(source, candidate, mode="rewrite", prompt=[task_line])
    report.ok                 # no problems
    report.problems           # [Problem(kind="dropped", what="price", text="64.50 euros"), ...]
    report.summary()          # "dropped the price “64.50 euros”; flipped a negation ..."

Modes say what a faithful candidate owes its source:
- "rewrite": keeps every fact (name, number, date, time, price, percentage, URL, @mention), adds none,
  keeps every negation, and does the same task (no chatter, advice, reply, prompt words, obeyed
  instruction, or a text about something else).
- "summary": covers only part of the source, so nothing must be kept, but every fact it states must
  be in the source and no negation may be flipped.
- "edit" (proofreading one sentence against its correction): like "rewrite", and no content word may
  be swapped for another word that is not a spelling or form of it.

Deterministic, regex and set work only: a check takes well under a millisecond for a paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Sequence

# --------------------------------------------------------------------------- policies


@dataclass(frozen=True)
class Policy:
    keep_facts: bool = True  # every fact of the source must be in the candidate
    add_no_facts: bool = True  # every fact of the candidate must be in the source
    keep_negation_count: bool = True  # as many negations as the source (not only none flipped)
    no_word_swaps: bool = False  # content words may change form or spelling only
    min_overlap: float = 0.2  # share of the source's content words the candidate must share (0: off)


MODES: dict[str, Policy] = {
    "rewrite": Policy(),
    "summary": Policy(keep_facts=False, keep_negation_count=False, min_overlap=0.0),
    "edit": Policy(no_word_swaps=True, min_overlap=0.5),
}

# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Problem:
    kind: str  # "dropped" | "added" | "changed" | "negation" | "task"
    what: str  # name, number, date, time, price, percent, url, negation, chatter, advice, reply, prompt,
    #            instruction, other-text, word
    text: str  # the text concerned (from the source for "dropped", from the candidate otherwise)
    replacement: str = ""  # for "changed": what the candidate has instead

    def message(self) -> str:
        q = lambda s: f"“{s}”"  # noqa: E731
        if self.kind == "dropped":
            return f"dropped the {self.what} {q(self.text)}"
        if self.kind == "added":
            return f"added the {self.what} {q(self.text)}, which is not in the text"
        if self.what == "person":
            return f"changed who it is about ({self.text} became {self.replacement})"
        if self.kind == "changed":
            return f"changed the {self.what} {q(self.text)} to {q(self.replacement)}"
        if self.kind == "negation":
            return f"{self.what} {q(self.text)}" if self.text else self.what
        return {
            "chatter": "answered with chatter instead of the text",
            "advice": "gave advice instead of rewriting the text",
            "reply": "replied to the text instead of rewriting it",
            "prompt": "repeated the instructions it was given",
            "instruction": "obeyed an instruction inside the text",
            "other-text": "wrote about something else",
        }.get(self.what, self.what) + (f": {q(self.text)}" if self.text else "")

    def as_dict(self) -> dict:
        return {"kind": self.kind, "what": self.what, "text": self.text, "replacement": self.replacement,
                "message": self.message()}


@dataclass
class Faithfulness:
    mode: str
    problems: list[Problem] = field(default_factory=list)
    overlap: float = 1.0  # share of the source's content words found in the candidate

    @property
    def ok(self) -> bool:
        return not self.problems

    def of_kind(self, *kinds: str) -> list[Problem]:
        return [p for p in self.problems if p.kind in kinds]

    def summary(self, limit: int = 3) -> str:
        msgs = [p.message() for p in self.problems[:limit]]
        more = len(self.problems) - limit
        return "; ".join(msgs) + (f" (and {more} more)" if more > 0 else "")

    def as_dict(self) -> dict:
        return {"mode": self.mode, "ok": self.ok, "overlap": round(self.overlap, 3),
                "problems": [p.as_dict() for p in self.problems]}


# --------------------------------------------------------------------------- facts

_MONTHS = {
    "january": "jan", "february": "feb", "march": "mar", "april": "apr", "may": "may", "june": "jun",
    "july": "jul", "august": "aug", "september": "sep", "sept": "sep", "october": "oct", "november": "nov",
    "december": "dec", "jan": "jan", "feb": "feb", "mar": "mar", "apr": "apr", "jun": "jun", "jul": "jul",
    "aug": "aug", "sep": "sep", "oct": "oct", "nov": "nov", "dec": "dec",
}
_WEEKDAYS = {
    "monday": "mon", "tuesday": "tue", "wednesday": "wed", "thursday": "thu", "friday": "fri",
    "saturday": "sat", "sunday": "sun", "mon": "mon", "tue": "tue", "tues": "tue", "wed": "wed",
    "thu": "thu", "thur": "thu", "thurs": "thu", "fri": "fri", "sat": "sat", "sun": "sun",
}
_RELATIVE_DAYS = {"today": "today", "tomorrow": "tomorrow", "yesterday": "yesterday", "tonight": "tonight",
                  "tmrw": "tomorrow", "tmr": "tomorrow", "tmw": "tomorrow", "2moro": "tomorrow", "2morrow": "tomorrow",
                  "tdy": "today", "yday": "yesterday", "2nite": "tonight", "tonite": "tonight"}
_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
    "million": 1_000_000, "billion": 1_000_000_000, "dozen": 12, "twice": 2, "thrice": 3, "half": 0.5,
    "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
    "eleventh": 11, "twelfth": 12, "both": 2, "single": 1,
}
# "both", "single", "half": weak, so only a change between two of them counts, never a loss alone.
# chat spellings with a digit that are words, not numbers ("b4" = before)
_CHAT_SPEAK = {"b4", "2day", "2moro", "2morrow", "2nite", "gr8", "l8r", "l8", "4u", "w8", "m8", "2u", "4ever", "any1", "some1", "no1"}
_WEAK_NUMBER_WORDS = {"both", "single", "half", "second"}
_CURRENCIES = {
    "$": "usd", "usd": "usd", "dollar": "usd", "dollars": "usd", "bucks": "usd", "€": "eur", "eur": "eur",
    "euro": "eur", "euros": "eur", "£": "gbp", "gbp": "gbp", "pound": "gbp", "pounds": "gbp", "¥": "jpy",
    "yen": "jpy", "chf": "chf", "francs": "chf", "sek": "sek", "kr": "sek", "zł": "pln", "pln": "pln",
    "zloty": "pln", "cents": "cent", "cent": "cent", "p": "pence", "pence": "pence",
}
_CURRENCY_WORD = "|".join(sorted((re.escape(c) for c in _CURRENCIES if c.isalpha()), key=len, reverse=True))

_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'\"”’]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.I)
_MENTION = re.compile(r"(?<![\w@])[@#][A-Za-z_][\w.-]*[\w]")
_TIME = re.compile(
    r"\b(?P<h>[01]?\d|2[0-3])(?::|\.)(?P<m>[0-5]\d)\s*(?P<ap>[ap]\.?m\.?)?(?![\w])"
    r"|\b(?P<h2>1[0-2]|0?[1-9])\s*(?P<ap2>[ap]\.?m\.?)(?![\w])",
    re.I,
)
_NUM = r"\d+(?:[,\u202f ]\d{3})*(?:\.\d+)?|\d+(?:\.\d+)?"
_PRICE = re.compile(
    rf"(?P<sym>[$€£¥])\s?(?P<a>{_NUM})(?P<k>\s?[kKmM]\b)?"
    rf"|\b(?P<b>{_NUM})(?P<k2>\s?[kKmM]\b)?\s?(?P<cur>[$€£¥]|(?:{_CURRENCY_WORD})\b)",
    re.I,
)
_PERCENT = re.compile(rf"\b(?P<n>{_NUM})\s?(?:%|per\s?cent\b|percent\b)", re.I)
_MONTH_WORD = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DATE = re.compile(
    rf"\b(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?(?:\s+of)?\s+(?P<m1>{_MONTH_WORD})\.?(?:,?\s+(?P<y1>\d{{4}}))?\b"
    rf"|\b(?P<m2>{_MONTH_WORD})\.?\s+(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<y2>\d{{4}}))?"
    r"|\b(?P<iy>\d{4})-(?P<im>[01]\d)-(?P<id>[0-3]\d)\b"
    r"|\b(?P<sa>[0-3]?\d)/(?P<sb>[01]?\d)(?:/(?P<sy>\d{2,4}))?\b",
    re.I,
)
_DIGITS = re.compile(r"(?<![\w.])#?[A-Za-z]{0,4}-?\d[\d,.]*\d*[A-Za-z]{0,3}(?![\w])|\d+")
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿĀ-ž][\w'’-]*")


@dataclass(frozen=True)
class Fact:
    what: str  # name, number, date, time, price, percent, url
    text: str  # as written
    keys: tuple[str, ...]  # normalised parts; all must be found on the other side
    weak: bool = False  # a number word like "both": too common to demand, never an addition


def _num(s: str) -> str:
    s = s.replace(",", "").replace("\u202f", "").replace(" ", "")
    try:
        v = float(s)
    except ValueError:
        return s.lower()
    return str(int(v)) if v == int(v) else repr(v)


def _hm(h: str, m: str, ap: str | None) -> tuple[str, ...]:
    hour = int(h)
    if ap:
        pm = ap.lower().startswith("p")
        hour = hour % 12 + (12 if pm else 0)
    return (f"t:{hour}:{m}",)


def _time_key(m: re.Match) -> tuple[str, ...]:
    if m.group("h") is not None:
        return _hm(m.group("h"), m.group("m"), m.group("ap"))
    return _hm(m.group("h2"), "00", m.group("ap2"))


def _time_keys_lenient(key: str) -> set[str]:
    """A time also matches its 12-hour reading: "t:14:15" is found as "t:2:15" too."""
    h, m = key[2:].split(":")
    out = {key}
    if int(h) > 12:
        out.add(f"t:{int(h) - 12}:{m}")
    return out


def _spans_overlap(a: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in taken)


def _is_sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\"'“‘(*-–—>")
    return not before or before[-1] in ".!?:\n" or before.endswith(("...", "…"))


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    from .proofread.align import FUNCTION_WORDS  # lazy: proofreading imports this module

    return frozenset(FUNCTION_WORDS)


# Capitalised words that start sentences, greet, or sign off: never a name by themselves.
_COMMON_CAPS = set(
    """i i'm i've i'll i'd hi hello hey dear thanks thank regards best cheers sincerely yours kind warm warmly
    love all please sorry yes no ok okay so and but or if when then also just well oh ah what why how who where
    which this that these those there here it its we our us you your he she they them their my me a an the
    as at by for from in into of on to with after before because since until while though although however
    unfortunately fortunately hopefully great good nice glad note ps p.s update re fyi asap tbh btw lol
    mr mrs ms dr prof sir madam team everyone folks guys morning afternoon evening hiya hallo greetings
    let can could would should will shall may might must do does did is are was were be been have has had
    not never nothing none nobody one some any each every many most more much other another such first
    second next last finally then now today tomorrow yesterday tonight again still yet even only really very
    maybe perhaps please thx ty np""".split()
)
_HONORIFICS = {"mr", "mrs", "ms", "dr", "prof", "sir", "madam", "miss"}


def _names(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, Fact]]:
    out = []
    fw = _function_words()
    for m in _WORD.finditer(text):
        w = m.group()
        if not w[0].isupper() or _spans_overlap(m.span(), taken):
            continue
        low = w.lower().rstrip("'’s").replace("’", "'")
        base = w.lower().replace("’", "'")
        if base in _COMMON_CAPS or low in _COMMON_CAPS or base in fw or low in _MONTHS or low in _WEEKDAYS:
            continue
        if base.endswith(("'s", "'re", "'ll", "'ve", "'d", "'m", "n't")) and base.split("'")[0] in _COMMON_CAPS | fw:
            continue
        if w.isupper() and len(w) > 1 and _shouted(text, m):
            continue  # "IGNORE ALL PREVIOUS INSTRUCTIONS" is emphasis, not names
        after_title = re.search(r"\b(?:mr|mrs|ms|dr|prof|miss)\.?\s+$", text[max(0, m.start() - 6): m.start()], re.I)
        if _is_sentence_start(text, m.start()) and not after_title:
            # a sentence's first word is a name only when written with a capital elsewhere too
            # or when it is followed by another capitalised word ("Fenwick & Rowe", "Maria Lopez")
            rest = text[m.end():]
            elsewhere = re.search(rf"(?<![.!?\n]\s)(?<!^)\b{re.escape(w)}\b", text[m.end():]) is not None
            nxt = re.match(r"\s+(?:&\s+)?([A-Z][a-z]+)", rest)
            if not elsewhere and not (nxt and nxt.group(1).lower() not in _COMMON_CAPS) and not _line_is_short(text, m.start()):
                continue
        key = w.lower().replace("’", "'")
        key = re.sub(r"'s$", "", key)
        out.append((m.start(), Fact("name", w, (f"w:{key}",))))
    return out


def _shouted(text: str, m: re.Match) -> bool:
    """Part of a run of three or more upper-case words."""
    return any(r.start() <= m.start() < r.end() for r in re.finditer(r"(?:\b[A-Z][A-Z'’]+\b[\s,.:;!]*){3,}", text))


def _line_is_short(text: str, start: int) -> bool:
    """A line of one or two words (a sign-off name, "Maria", "Daniel Brandt")."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start: line_end if line_end >= 0 else len(text)].strip()
    return 0 < len(line.split()) <= 3 and not line.endswith((".", "!", "?", ",", ":"))


def facts(text: str) -> list[Fact]:
    """Every checkable fact in a text, in order of appearance: URLs and e-mail addresses, @mentions,
    prices, percentages, times, dates (with weekdays), other numbers (digits, number words, codes like
    INV-2291 or #48213) and names (capitalised words that are not sentence starters)."""
    found: list[tuple[int, Fact]] = []
    taken: list[tuple[int, int]] = []

    def add(span: tuple[int, int], fact: Fact) -> None:
        taken.append(span)
        found.append((span[0], fact))

    for m in _URL.finditer(text):
        add(m.span(), Fact("url", m.group(), ("u:" + m.group().lower().rstrip("/"),)))
    for m in _MENTION.finditer(text):
        if not _spans_overlap(m.span(), taken):
            add(m.span(), Fact("name", m.group(), ("w:" + m.group()[1:].lower(),)))
    for m in _PRICE.finditer(text):
        if _spans_overlap(m.span(), taken):
            continue
        amount = m.group("a") or m.group("b")
        cur = (m.group("sym") or m.group("cur") or "").lower()
        k = (m.group("k") or m.group("k2") or "").strip().lower()
        value = _num(amount)
        if k:
            value = _num(str(float(amount.replace(",", "")) * (1000 if k == "k" else 1_000_000)))
        add(m.span(), Fact("price", m.group(), (f"n:{value}", f"c:{_CURRENCIES.get(cur, cur)}")))
    for m in _PERCENT.finditer(text):
        if not _spans_overlap(m.span(), taken):
            add(m.span(), Fact("percent", m.group(), (f"n:{_num(m.group('n'))}", "c:%")))
    for m in _TIME.finditer(text):
        if not _spans_overlap(m.span(), taken):
            add(m.span(), Fact("time", m.group(), _time_key(m)))
    for m in _DATE.finditer(text):
        if _spans_overlap(m.span(), taken):
            continue
        if m.group("m1") or m.group("m2"):
            d, mon, y = m.group("d1") or m.group("d2"), (m.group("m1") or m.group("m2")).lower(), m.group("y1") or m.group("y2")
            if mon == "may" and m.group("m2") and not m.group("m2")[0].isupper():
                continue  # "may 3" in "you may 3 times" is not a date; "May 3" is
            if mon in ("mar", "jan", "sun", "sat") and not (m.group("m1") or m.group("m2"))[0].isupper():
                continue
            mon = _MONTHS[mon.rstrip(".")]
            keys = (f"dm:{int(d)}-{mon}", f"m:{mon}") + ((f"n:{int(y)}",) if y else ())
        elif m.group("iy"):
            keys = (f"n:{int(m.group('iy'))}", f"n:{int(m.group('im'))}", f"n:{int(m.group('id'))}")
        else:
            keys = tuple(f"n:{int(g)}" for g in (m.group("sa"), m.group("sb"), m.group("sy")) if g)
        add(m.span(), Fact("date", m.group(), keys))
    for m in _WORD.finditer(text):
        if _spans_overlap(m.span(), taken):
            continue
        low = m.group().lower().rstrip(".")
        if low in _WEEKDAYS and (m.group()[0].isupper() or len(low) > 4 or low in ("mon", "tue", "tues", "thu", "thurs", "fri")):
            add(m.span(), Fact("date", m.group(), (f"d:{_WEEKDAYS[low]}",)))
        elif low in _MONTHS and len(low) > 3 and low != "may" or (low == "may" and m.group() == "May" and not _is_sentence_start(text, m.start())):
            add(m.span(), Fact("date", m.group(), (f"m:{_MONTHS[low]}",)))
        elif low in _RELATIVE_DAYS:
            add(m.span(), Fact("date", m.group(), (f"r:{_RELATIVE_DAYS[low]}",)))
        elif low in _NUMBER_WORDS:
            add(m.span(), Fact("number", m.group(), (f"n:{_num(str(_NUMBER_WORDS[low]))}",), weak=low in _WEAK_NUMBER_WORDS))
    for m in _DIGITS.finditer(text):
        if _spans_overlap(m.span(), taken) or m.group().lower() in _CHAT_SPEAK:
            continue
        tok = m.group().rstrip(".,")
        digits = re.findall(r"\d+(?:[.,]\d+)*", tok)
        keys = tuple(f"n:{_num(d) if re.fullmatch(_NUM, d) else d.replace(',', '')}" for d in digits)
        if keys:
            add((m.start(), m.start() + len(tok)), Fact("number", tok, keys))
    found.extend(_names(text, taken))
    found.sort(key=lambda x: x[0])
    return [f for _, f in found]


def _keys_of(text: str, fs: list[Fact]) -> set[str]:
    """Every key a text can satisfy: its facts' keys, plus each of its words as a name key (so a
    name lower-cased by a rewrite, or a number written as a word, still counts as kept)."""
    keys: set[str] = set()
    for f in fs:
        for k in f.keys:
            keys |= _time_keys_lenient(k) if k.startswith("t:") else {k}
    for m in _WORD.finditer(text):
        w = m.group().lower().replace("’", "'")
        keys.add("w:" + re.sub(r"'s$", "", w))
        keys.add("w:" + w)
        if w in _NUMBER_WORDS:
            keys.add(f"n:{_num(str(_NUMBER_WORDS[w]))}")
        if w in _RELATIVE_DAYS:
            keys.add(f"r:{_RELATIVE_DAYS[w]}")
        if w in ("a", "an", "one", "once"):
            keys.add("n:1")
    for d in re.findall(r"\d+(?:[.,]\d+)*", _without_chat_speak(text)):
        keys.add("n:" + (_num(d) if re.fullmatch(_NUM, d) else d.replace(",", "")))
    for sym, code in _CURRENCIES.items():
        if sym in text.lower() if not sym.isalpha() else re.search(rf"\b{re.escape(sym)}\b", text, re.I):
            keys.add(f"c:{code}")
    if "%" in text or re.search(r"\bper\s?cent\b|\bpercent\b", text, re.I):
        keys.add("c:%")
    return keys


def _without_chat_speak(text: str) -> str:
    return re.sub(r"(?<!\w)(?:" + "|".join(sorted(_CHAT_SPEAK, key=len, reverse=True)) + r")(?!\w)", " ", text, flags=re.I)


def _number_counts(text: str) -> dict[str, int]:
    """How often each number is written (digits or words): a number said twice and kept once lost a fact."""
    counts: dict[str, int] = {}
    for d in re.findall(r"\d+(?:[.,]\d+)*", _without_chat_speak(text)):
        k = "n:" + (_num(d) if re.fullmatch(_NUM, d) else d.replace(",", ""))
        counts[k] = counts.get(k, 0) + 1
    for w in re.findall(r"[a-z]+", text.lower()):
        if w in _NUMBER_WORDS and w not in _WEAK_NUMBER_WORDS:
            k = f"n:{_num(str(_NUMBER_WORDS[w]))}"
            counts[k] = counts.get(k, 0) + 1
    return counts


def _present(f: Fact, keys: set[str]) -> bool:
    return all(k in keys for k in f.keys)


# --------------------------------------------------------------------------- negation

_NEG_WORD = re.compile(
    r"\b(?:not|no|never|nothing|nobody|none|nowhere|neither|nor|without|cannot|hardly|barely|lack(?:s|ed|ing)?|"
    r"unable|fail(?:s|ed)?\s+to|no\s+longer|(?:do|does|did|is|are|was|were|has|have|had|could|should|would|must|"
    r"need|might|ca|wo|ai)n['’]?t)\b",
    re.I,
)
_NOT_A_NEGATION = re.compile(r"\bnot\s+only\b|\bno\s+(?:doubt|problem|worries)\b|\bnothing\s+but\b", re.I)


def _content(text: str) -> list[str]:
    fw = _function_words()
    words = re.findall(r"[a-z0-9][a-z0-9'’]*", text.lower())
    return [w for w in words if w not in fw and w.replace("’", "'").split("'")[0] not in fw and len(w) > 1 and not _NEG_WORD.fullmatch(w)]


def _stem(w: str) -> str:
    w = w.replace("’", "'").split("'")[0]
    for suf in ("ingly", "edly", "ing", "ed", "ly", "es", "s", "er", "est"):
        if len(w) > len(suf) + 2 and w.endswith(suf):
            return w[: -len(suf)]
    return w


def negations(text: str) -> list[tuple[str, frozenset[str]]]:
    """Each negation in a text with the content-word stems it applies to (the next few words of its
    clause): [("not great", {"great"}), ("hasn't worked", {"work"})]."""
    out = []
    for m in _NEG_WORD.finditer(text):
        if _NOT_A_NEGATION.match(text, m.start()):
            continue
        clause = re.split(r"[.,;:!?()\n]|\b(?:but|and|because|so|although|though|while)\b", text[m.end():], maxsplit=1)[0]
        scope = [_stem(w) for w in _content(clause)[:3]]
        before = [_stem(w) for w in _content(text[max(0, m.start() - 40): m.start()].split(",")[-1])[-2:]]
        if m.group().lower().endswith(("n't", "n’t", "nt")) or m.group().lower() in ("cannot", "unable"):
            scope = scope[:2]
        out.append((text[m.start(): m.end() + len(" ".join(clause.split()[:3])) + 1].strip(), frozenset(scope + before)))
    return out


def _negation_problems(source: str, candidate: str, policy: Policy) -> list[Problem]:
    src, cand = negations(source), negations(candidate)
    cand_stems = {_stem(w) for w in _content(candidate)}
    src_stems = {_stem(w) for w in _content(source)}
    problems: list[Problem] = []
    # a flip: the negated words appear in the candidate, but no negation there touches them
    for phrase, scope in src:
        if not scope:
            continue
        if any(scope & s for _, s in cand):
            continue
        if scope & cand_stems and (policy.keep_negation_count or len(scope & cand_stems) >= 1):
            problems.append(Problem("negation", "dropped a negation", phrase))
    for phrase, scope in cand:
        if not scope or any(scope & s for _, s in src):
            continue
        if scope & src_stems:
            problems.append(Problem("negation", "added a negation", phrase))
    if policy.keep_negation_count and not problems:
        problems += _negated_word_changes(source, candidate)
    if policy.keep_negation_count and not problems:
        if len(cand) < len(src):
            problems.append(Problem("negation", "dropped a negation", src[len(cand)][0] if cand else src[0][0]))
        elif len(cand) > len(src):
            problems.append(Problem("negation", "added a negation", cand[-1][0]))
    return problems


_NOT_HEADS = {"one", "longer", "more", "able", "unable", "body", "thing", "get", "got", "really", "even", "quite", "at", "all"}
_ABILITY = re.compile(r"\b(?:can['’]?t|cannot|unable|couldn['’]?t|not\s+able|wasn['’]?t\s+able|weren['’]?t\s+able)\b", re.I)


def _heads(text: str) -> list[tuple[str, str, bool, list[str]]]:
    """(phrase, head, is_ability, words after) per negation: head is the first content word it negates."""
    out = []
    for m in _NEG_WORD.finditer(text):
        if _NOT_A_NEGATION.match(text, m.start()):
            continue
        clause = re.split(r"[.,;:!?()\n]", text[m.end():], maxsplit=1)[0]
        after = [_stem(w) for w in _content(clause) if w not in _NOT_HEADS][:4]
        ability = bool(_ABILITY.match(text, m.start())) or m.group().lower() in ("unable",)
        out.append((m.group() + " " + " ".join(clause.split()[:2]), after[0] if after else "", ability, after))
    return out


def _alike(a: str, b: str) -> bool:
    return a == b or (len(a) >= 4 and len(b) >= 4 and a[:4] == b[:4])


def _negated_word_changes(source: str, candidate: str) -> list[Problem]:
    """The negation is still there but negates something else: "not able to get there" -> "not sure how
    to get there". Being unable stays being unable in any wording (can't, cannot, unable, not able)."""
    cand = _heads(candidate)
    for phrase, head, ability, _after in _heads(source):
        if not head:
            continue
        if ability and any(c[2] and (not c[3] or not _after or _alike(_after[0], c[3][0])) for c in cand):
            continue  # "not able to reach" = "can't reach" = "unable to reach", but not "unable to deliver"
        if any(any(_alike(head, w) for w in c[3][:2]) or _alike(head, c[1]) for c in cand):
            continue
        return [Problem("negation", "changed what is negated", phrase.strip())]
    return []


# --------------------------------------------------------------------------- who it is about

_PERSONS = {
    "first person": {"i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves", "i'm", "i've", "i'll",
                     "i'd", "we're", "we've", "we'll", "we'd"},
    "second person": {"you", "your", "yours", "yourself", "yourselves", "you're", "you've", "you'll", "you'd"},
}


def _person_problems(source: str, candidate: str) -> list[Problem]:
    """"Please cancel my subscription" -> "Please cancel your subscription": the writer became the reader."""
    def count(text: str) -> dict[str, int]:
        ws = re.findall(r"[a-z]+(?:['’][a-z]+)?", text.lower().replace("’", "'"))
        return {k: sum(w in v for w in ws) for k, v in _PERSONS.items()}

    src, cand = count(source), count(candidate)
    if src["first person"] and not cand["first person"] and cand["second person"] > src["second person"]:
        return [Problem("changed", "person", "first person", "second person")]
    if src["second person"] and not cand["second person"] and cand["first person"] > src["first person"]:
        return [Problem("changed", "person", "second person", "first person")]
    return []


# --------------------------------------------------------------------------- a different task

_CHATTER = re.compile(
    r"\b(?:i'?m here to help|i am here to help|happy to help|glad to help|i'?d be happy to|i would be happy to|"
    r"here(?:'s| is) (?:the|a|your|my) (?:rewritten|revised|rewrite|friendlier|more|shorter|new|improved|professional|"
    r"concise|polished|updated|corrected|summary|version)|here you go|hope this helps|i hope this helps|"
    r"let me know if you(?:'d)? (?:need|want|like|have)|as an ai|as a language model|i can(?:not|'t) (?:help|assist|rewrite)|"
    r"i'?m (?:sorry|unable|not able)[^.]{0,40}\b(?:assist|help|rewrite|provide)|rewritten (?:text|version)|"
    r"(?:this|the) (?:rewrite|revised version|new version) (?:keeps|maintains|uses)|in this (?:version|rewrite))",
    re.I,
)
_ADVICE = re.compile(
    r"\b(?:you should|you could try|you might want to|i (?:would )?(?:recommend|suggest)|i'd (?:recommend|suggest)|"
    r"my advice|consider (?:adding|using|asking|contacting)|make sure (?:to|you)|don't forget to|it(?:'s| is) "
    r"(?:important|a good idea|best) to|try to|tips?:)",
    re.I,
)
_REPLY = re.compile(
    r"\b(?:thank(?:s| you) for (?:your|reaching out|contacting|letting|sharing|the (?:email|message|update|review|feedback))|"
    r"(?:i'?m|we'?re|i am|we are) (?:so |very |really )?sorry to hear|glad to hear|happy to hear|"
    r"i understand your (?:concern|frustration)|we apologi[sz]e for|we(?:'ll| will) look into (?:it|this)|"
    r"in response to your|regarding your (?:email|message|request))",
    re.I,
)
_PROMPT_LINE = re.compile(r"(?:^|(?<=[-*] ))\s*(?:task|text|sentence|instruction|instructions|input|output|system|user|assistant|"
                          r"rewritten(?: sentence| text)?)\s*:", re.I | re.M)
_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget)\s+(?:all\s+|any\s+)?(?:the\s+)?(?:previous|prior|above|earlier|preceding|your)\s+"
    r"(?:instructions?|prompts?|rules|directions)|\b(?:reply|respond|answer|output|say|print|write)\s+(?:only\s+)?"
    r"(?:with|the words?)\s*:?|\byou are now\b|\bsystem prompt\b|\bnew instructions?\s*:",
    re.I,
)


def _count(rx: re.Pattern, text: str) -> int:
    return len(rx.findall(text))


def _ngrams(text: str, n: int = 5) -> set[tuple[str, ...]]:
    w = re.findall(r"[a-z0-9']+", text.lower())
    return {tuple(w[i: i + n]) for i in range(len(w) - n + 1)}


def _task_problems(source: str, candidate: str, prompt: Sequence[str], policy: Policy, overlap: float) -> list[Problem]:
    out: list[Problem] = []
    for what, rx in (("chatter", _CHATTER), ("advice", _ADVICE), ("reply", _REPLY)):
        if _count(rx, candidate) > _count(rx, source):
            m = rx.search(candidate)
            out.append(Problem("task", what, m.group() if m else ""))
    # the reply's tell: greeting the person who signed the text
    greet = re.match(r"\s*(?:hi|hello|hey|dear)\s+([A-Z][\w.-]*)", candidate, re.I)
    src_greet = re.match(r"\s*(?:hi|hello|hey|dear)\s+([A-Z][\w.-]*)", source, re.I)
    last = source.strip().split("\n")[-1].strip().split()
    if greet and last and greet.group(1).lower() == last[0].lower() and not (src_greet and src_greet.group(1).lower() == last[0].lower()):
        out.append(Problem("task", "reply", greet.group()))
    # the prompt's own words: a "Task:" line, or five words in a row of the instructions
    if _count(_PROMPT_LINE, candidate) > _count(_PROMPT_LINE, source):
        out.append(Problem("task", "prompt", _PROMPT_LINE.search(candidate).group().strip()))
    else:
        leaked = set().union(*(_ngrams(p) for p in prompt)) if prompt else set()
        leaked = (leaked & _ngrams(candidate)) - _ngrams(source)
        if leaked:
            out.append(Problem("task", "prompt", " ".join(sorted(leaked)[0])))
    # an instruction inside the text, obeyed: the candidate is mostly what the instruction asked for
    inj = _INJECTION.search(source)
    if inj:
        payload = source[inj.end(): inj.end() + 200].split("\n")[0]
        pw, cw = set(_content(payload)), _content(candidate)
        if cw and sum(w in pw for w in cw) / len(cw) >= 0.6 and len(cw) < 0.6 * len(_content(source)):
            out.append(Problem("task", "instruction", candidate.strip()[:80]))
    if policy.min_overlap and len(_content(source)) >= 6 and overlap < policy.min_overlap:
        out.append(Problem("task", "other-text", candidate.strip()[:80]))
    return out


# --------------------------------------------------------------------------- word swaps (edit mode)


def _related(a: str, b: str) -> bool:
    from difflib import SequenceMatcher

    from .proofread.align import _stem_related

    return _stem_related(a, b) or SequenceMatcher(None, a, b).ratio() >= 0.75


def _swap_problems(source: str, candidate: str) -> list[Problem]:
    src = _content(source)
    out = []
    for w in dict.fromkeys(_content(candidate)):
        if w in src or any(_related(w, s) for s in src) or re.fullmatch(r"\d.*", w):
            continue
        out.append(Problem("changed", "word", w))
    return out


# --------------------------------------------------------------------------- the check


def overlap(source: str, candidate: str) -> float:
    """Share of the source's distinct content-word stems that the candidate also uses."""
    src = {_stem(w) for w in _content(source)}
    if not src:
        return 1.0
    cand = {_stem(w) for w in _content(candidate)}
    return len(src & cand) / len(src)


def _pair_changes(dropped: list[Fact], added: list[Fact]) -> list[Problem]:
    """A dropped fact and an added fact of the same kind read better as one change."""
    out: list[Problem] = []
    added = list(added)
    for d in dropped:
        twin = next((a for a in added if a.what == d.what), None)
        if twin is not None:
            added.remove(twin)
            out.append(Problem("changed", d.what, d.text, twin.text))
        else:
            out.append(Problem("dropped", d.what, d.text))
    out.extend(Problem("added", a.what, a.text) for a in added)
    return out


def check(
    source: str,
    candidate: str,
    mode: str | Policy = "rewrite",
    *,
    prompt: Sequence[str] | str = (),
    allowed: Iterable[str] = (),
) -> Faithfulness:
    """Compare a candidate with its source under a mode ("rewrite", "summary", "edit") or a Policy.

    `prompt`: the instruction text(s) the model was given; their words in the candidate (and not in
    the source) are a problem. `allowed`: words the candidate may add without it counting as an added
    name or number (for example the sign-off a tool itself inserted)."""
    policy = mode if isinstance(mode, Policy) else MODES[mode]
    name = mode if isinstance(mode, str) else "custom"
    prompts = [prompt] if isinstance(prompt, str) else list(prompt)
    src_facts, cand_facts = facts(source), facts(candidate)
    src_keys, cand_keys = _keys_of(source, src_facts), _keys_of(candidate, cand_facts)
    allowed_keys = set()
    for a in allowed:
        allowed_keys |= _keys_of(a, facts(a))
    dropped: list[Fact] = []
    added: list[Fact] = []
    if policy.keep_facts:
        seen: set[tuple[str, ...]] = set()
        for f in src_facts:
            if f.keys in seen or f.weak:
                continue
            seen.add(f.keys)
            if not _present(f, cand_keys):
                dropped.append(f)
        have, had = _number_counts(candidate), _number_counts(source)
        for f in src_facts:  # "6 May ... in 6 weeks" -> "6 May ... soon": the second 6 is gone
            short = [k for k in f.keys if k.startswith("n:") and have.get(k, 0) < had.get(k, 0)] if f.what == "number" and not f.weak else []
            if short and f not in dropped:
                dropped.append(f)
                for k in short:
                    have[k] = had[k]
    if policy.add_no_facts:
        seen = set()
        for f in cand_facts:
            if f.keys in seen or f.weak:
                continue
            seen.add(f.keys)
            if not _present(f, src_keys | allowed_keys):
                added.append(f)
    result = Faithfulness(name, _pair_changes(dropped, added), overlap(source, candidate))
    result.problems += _negation_problems(source, candidate, policy)
    if policy.keep_facts:
        result.problems += _person_problems(source, candidate)
    result.problems += _task_problems(source, candidate, prompts, policy, result.overlap)
    if policy.no_word_swaps:
        result.problems += _swap_problems(source, candidate)
    return result


def is_instruction(text: str) -> bool:
    """Whether a text contains an instruction aimed at the model ("Ignore all previous
    instructions", "Reply only with: ..."): summaries quote such lines, never obey or state them."""
    return _INJECTION.search(text) is not None
