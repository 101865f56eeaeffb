"""The checkable facts of a text (names, numbers, dates, times, prices, percentages, URLs,
@mentions) and the keys a text can satisfy them with."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


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
_RELATIVE_PERIOD = re.compile(r"\b(this|next|last)\s+(week|weekend|month|year|quarter|term|morning|afternoon|evening)\b", re.I)
_FREQUENCIES = {"hourly": "hour", "daily": "day", "nightly": "night", "weekly": "week", "fortnightly": "fortnight",
                "biweekly": "fortnight", "monthly": "month", "quarterly": "quarter", "yearly": "year", "annually": "year",
                "annual": "year"}
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

_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'\"”’]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
                  r"|(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w]|\.\d)", re.I)  # and IP addresses (192.168.4.25)
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
_DATE_FORMS = {
    "6 May 2026, 6th of May": rf"\b(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?(?:\s+of)?\s+(?P<m1>{_MONTH_WORD})\.?(?:,?\s+(?P<y1>\d{{4}}))?\b",
    "May 6, 2026": rf"\b(?P<m2>{_MONTH_WORD})\.?\s+(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<y2>\d{{4}}))?",
    "2026-05-06": r"\b(?P<iy>\d{4})-(?P<im>[01]\d)-(?P<id>[0-3]\d)\b",
    "6/5, 6/5/26": r"\b(?P<sa>[0-3]?\d)/(?P<sb>[01]?\d)(?:/(?P<sy>\d{2,4}))?\b",
    "spring 2022": r"\b(?P<season>spring|summer|autumn|fall|winter)(?:\s+of)?\s+(?P<seasony>(?:19|20)\d\d)\b",
}
_DATE = re.compile("|".join(_DATE_FORMS.values()), re.I)
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
def function_words() -> frozenset[str]:
    from ..proofread.align import FUNCTION_WORDS  # lazy: proofreading imports this module

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
    fw = function_words()
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
        camel = re.search(r"[a-z][A-Z]", w) is not None  # "SmolLAM", "iPhone": a name wherever it stands
        if _is_sentence_start(text, m.start()) and not after_title and not camel:
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
        elif m.group("season"):
            keys = (f"s:{_season(m.group('season'))}", f"n:{int(m.group('seasony'))}")
        elif m.group("iy"):
            keys = (f"n:{int(m.group('iy'))}", f"n:{int(m.group('im'))}", f"n:{int(m.group('id'))}")
        else:
            keys = tuple(f"n:{int(g)}" for g in (m.group("sa"), m.group("sb"), m.group("sy")) if g)
        add(m.span(), Fact("date", m.group(), keys))
    for m in _RELATIVE_PERIOD.finditer(text):  # "this week", "next month": when, as surely as a date
        if not _spans_overlap(m.span(), taken):
            add(m.span(), Fact("date", m.group(), (f"r:{m.group(1).lower()} {m.group(2).lower()}",)))
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
        elif low in _FREQUENCIES:  # "weekly check-in" is not a "daily check-in"
            add(m.span(), Fact("date", m.group(), (f"f:{_FREQUENCIES[low]}",)))
        elif low in _NUMBER_WORDS:
            add(m.span(), Fact("number", m.group(), (f"n:{_num(str(_NUMBER_WORDS[low]))}",), weak=low in _WEAK_NUMBER_WORDS))
        elif _hyphen_number(low) is not None:  # "four-day", "ten-year-old", "twenty-five"
            value = _hyphen_number(low)
            add(m.span(), Fact("number", m.group(), (f"n:{_num(str(value))}",)))
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


def keys_of(text: str, fs: list[Fact]) -> set[str]:
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
        elif _hyphen_number(w) is not None:
            keys.add(f"n:{_num(str(_hyphen_number(w)))}")
        if w in _RELATIVE_DAYS:
            keys.add(f"r:{_RELATIVE_DAYS[w]}")
        if w in _FREQUENCIES:
            keys.add(f"f:{_FREQUENCIES[w]}")
        if w in ("spring", "summer", "autumn", "fall", "winter"):
            keys.add(f"s:{_season(w)}")
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


_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}


def _hyphen_number(word: str) -> int | None:
    """The number a hyphenated word starts with: "four-day" 4, "ten-year-old" 10, "twenty-five" 25;
    None for other words ("one-off" and "second-hand" are not counts)."""
    parts = word.split("-")
    if len(parts) < 2 or parts[0] not in _NUMBER_WORDS or parts[0] in _WEAK_NUMBER_WORDS or parts[0] == "one":
        return None
    first = _NUMBER_WORDS[parts[0]]
    if parts[0] in _TENS and parts[1] in _NUMBER_WORDS and _NUMBER_WORDS[parts[1]] < 10:
        return first + _NUMBER_WORDS[parts[1]]
    return first


def _season(word: str) -> str:
    return "autumn" if word.lower() == "fall" else word.lower()


def _without_chat_speak(text: str) -> str:
    return re.sub(r"(?<!\w)(?:" + "|".join(sorted(_CHAT_SPEAK, key=len, reverse=True)) + r")(?!\w)", " ", text, flags=re.I)


def number_counts(text: str) -> dict[str, int]:
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


def present(f: Fact, keys: set[str]) -> bool:
    return all(k in keys for k in f.keys)
