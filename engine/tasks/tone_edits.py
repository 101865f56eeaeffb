"""Deterministic tone edits that cannot change what a sentence says.

concise: drop fillers and hedging openers; professional: expand slang and contractions, one
capital at the start, no shouting punctuation; friendly: contractions. Every edit is a word-level
substitution with a known meaning-preserving replacement; the result still goes through the
faithfulness check like any model candidate.
"""

from __future__ import annotations

import re

_CONTRACTIONS = {
    "do not": "don't", "does not": "doesn't", "did not": "didn't", "is not": "isn't", "are not": "aren't",
    "was not": "wasn't", "were not": "weren't", "have not": "haven't", "has not": "hasn't", "had not": "hadn't",
    "could not": "couldn't", "should not": "shouldn't", "would not": "wouldn't", "will not": "won't",
    "cannot": "can't", "i am": "I'm", "we are": "we're", "you are": "you're", "they are": "they're",
    "it is": "it's", "that is": "that's", "there is": "there's", "i have": "I've", "we have": "we've",
    "i will": "I'll", "we will": "we'll", "you will": "you'll", "i would": "I'd", "let us": "let's",
}
_EXPANSIONS = {v.lower(): k for k, v in _CONTRACTIONS.items()} | {
    "can't": "cannot", "cant": "cannot", "dont": "do not", "doesnt": "does not", "didnt": "did not",
    "isnt": "is not", "wasnt": "was not", "wont": "will not", "im": "I am", "ive": "I have", "youre": "you are",
    "thats": "that is", "theyre": "they are", "haven't": "have not", "hasn't": "has not", "won't": "will not",
    "aren't": "are not", "weren't": "were not", "couldn't": "could not", "shouldn't": "should not",
    "wouldn't": "would not", "it's": "it is", "we'll": "we will", "i'll": "I will", "you'll": "you will",
    "i'd": "I would", "we've": "we have", "i've": "I have", "let's": "let us", "there's": "there is",
    "that's": "that is", "they're": "they are", "we're": "we are", "you're": "you are", "i'm": "I am",
}
_SLANG = {
    "gonna": "going to", "wanna": "want to", "gotta": "have to", "kinda": "somewhat", "sorta": "somewhat",
    "yeah": "yes", "yep": "yes", "nope": "no", "thx": "thanks", "pls": "please", "plz": "please", "u": "you",
    "ur": "your", "asap": "as soon as possible", "btw": "by the way", "fyi": "for your information",
    "tmrw": "tomorrow", "tmr": "tomorrow", "msg": "message", "info": "information", "guys": "everyone",
    "ppl": "people", "bc": "because", "cuz": "because", "coz": "because", "tho": "though", "w/": "with",
    "convo": "conversation", "tbh": "honestly", "imo": "in my opinion",
    "awesome": "excellent", "super": "very", "stuff": "things", "folks": "everyone", "ok": "fine",
}
# Words that add emphasis or hedging but no fact. "just" before a measure ("just under three hours")
# and "very" before "much", "many", "few" or "little" carry meaning and stay.
_FILLERS = [
    r"\bjust\b(?! (?:under|over|before|after|as|about|below|above|enough|in time|now)\b)\s*", r"\breally\b\s*",
    r"\bactually\b\s*", r"\bbasically\b\s*", r"\bhonestly\b,?\s*", r"\bliterally\b\s*", r"\btotally\b\s*",
    r"\bsimply\b\s*", r"\bkind of\b\s*", r"\bsort of\b\s*", r"\bquite\b\s*",
    r"\bvery\b(?! (?:much|many|few|little)\b)\s*", r"\bdefinitely\b\s*", r"\bcertainly\b\s*", r"\bobviously\b,?\s*",
    r"\bof course\b,?\s*", r"\bto be honest\b,?\s*", r"\bif that makes sense\b", r"\bor something\b",
    r"\s*\b(?:lol|lmao|haha+)\b", r"^(?:so|well|anyway|um|uh|ok so|okay so)\b,?\s*",
    r"^i (?:just )?(?:think|feel|guess|believe) (?:that )?",
    # openers that announce what the sentence says instead of saying it
    r"^i(?:'m|’m| am) writing to (?:let you know|inform you|tell you) (?:that )?",
    r"^i (?:just )?(?:wanted|want|would like) to (?:let you know|say|mention|inform you) (?:that )?",
    r"^i was wondering if ", r"^(?:please )?(?:note|be advised) that ", r"^it seems (?:like|that) ",
    r"^(?:it is|it's|it’s) (?:important|worth) (?:to note|noting) that ", r"^it should be noted that ",
    r"^needless to say,? ", r"^as a matter of fact,? ",
]
# Plain-English replacements of wordy phrases (each says the same in fewer words).
_WORDY = {
    r"\bin order to\b": "to", r"\bso as to\b": "to", r"\bin an effort to\b": "to",
    r"\bdue to the fact that\b": "because", r"\bowing to the fact that\b": "because",
    r"\bin spite of the fact that\b": "although", r"\bdespite the fact that\b": "although",
    r"\bat this point in time\b": "now", r"\bat the present time\b": "now", r"\bat the moment\b": "now",
    r"\bat that point in time\b": "then", r"\bin the event that\b": "if", r"\bprior to\b": "before",
    r"\bwith regard to\b": "about", r"\bwith regards to\b": "about", r"\bin regard to\b": "about",
    r"\bfor the purpose of\b": "for", r"\bat all times\b": "always", r"\bin the near future\b": "soon",
    r"\b(?:is|am|are) not able to\b": "cannot", r"\b(?:is|am) able to\b": "can", r"\bare able to\b": "can", r"\b(?:has|have) the ability to\b": "can",
    r"\ba number of\b": "several", r"\bthe majority of\b": "most", r"\ba total of\s*": "",
    r"\bmake a decision\b": "decide", r"\bgive consideration to\b": "consider", r"\btake into consideration\b": "consider",
    r"\bmake an attempt to\b": "try to", r"\bcome to the conclusion\b": "conclude", r"\bin the process of\s*": "",
    r"\bwith the exception of\b": "except", r"\bin close proximity to\b": "near", r"\buntil such time as\b": "until",
    r"\bon a (daily|weekly|monthly|yearly) basis\b": r"\1", r"\bon a regular basis\b": "regularly",
    r"\beach and every\b": "every", r"\bany and all\b": "all", r"\bfirst and foremost\b": "first",
    r"\bwhether or not\b": "whether", r"\bin spite of\b": "despite", r"\bfor the most part\b": "mostly",
    r"\breach out to\b": "contact", r"\breached out to\b": "contacted", r"\breaching out to\b": "contacting",
    r"\bget in touch with\b": "contact", r"\bgot in touch with\b": "contacted", r"\bgetting in touch with\b": "contacting",
    r"\b(?:take|have) a (?:quick )?look at\b": "look at", r"\b(?:taking|having) a (?:quick )?look at\b": "looking at",
    r"\b(?:took|had) a (?:quick )?look at\b": "looked at", r"\bmake sure\b": "ensure",
    r"\bgive (me|us|you|him|her|them) a call\b": r"call \1", r"\bsend (me|us|you|him|her|them) an e-?mail\b": r"email \1",
    r"\b(?:is|am) in need of\b": "needs", r"\bare in need of\b": "need", r"\bin a timely manner\b": "promptly",
    r"\bduring the course of\b": "during", r"\bfree of charge\b": "free", r"\bperiod of time\b": "time",
    r"\bas of (?:right )?now\b": "now", r"\bthe month of (?=(?:january|february|march|april|may|june|july|august|september|october|november|december)\b)": "", r"\bend result\b": "result",
    r"\bfinal outcome\b": "outcome", r"\bfuture plans\b": "plans", r"\bpast history\b": "history",
    r"\bthe reason why\b": "why",
}
# "that" after a verb of saying, thinking or showing may go when a clause follows (English drops this
# complementizer freely): "I know that its a busy time" -> "I know its a busy time". Only before a
# pronoun or article, so a demonstrative ("I know that song") is never taken for it.
_THAT = re.compile(
    r"\b((?:know|knew|think|thought|hope|believe|feel|felt|guess|said|say|says|mentioned|noticed|realised|realized|"
    r"suppose|assume|assumed|heard|told (?:me|us|them|you|him|her)|shows?|showed|found|seems?|means?|ensure))\s+that\s+"
    r"(?=(?:i|you|he|she|it|its|it's|we|they|there|the|a|an|our|my|your|his|her|their)\b)",
    re.I,
)
def _case_like(word: str, new: str) -> str:
    if word[:1].isupper() and new[:1].islower():
        return new[:1].upper() + new[1:]
    return new


def _sub_words(text: str, table: dict[str, str]) -> str:
    def repl(m: re.Match) -> str:
        w = m.group(0)
        new = table.get(w.lower().replace("’", "'"))
        return _case_like(w, new) if new is not None else w

    return re.sub(r"(?<![\w'’@#/])[A-Za-z]+(?:['’][A-Za-z]+)?(?![\w'’@/])", repl, text)


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r"^[,;:\s]+", "", text)
    text = re.sub(r"(?<![\w@])i(?![\w'’])", "I", text)
    return text[:1].upper() + text[1:] if text else text


_NOT_AFTER_NEGATION = r"(?<!not )(?<!n't )(?<!n’t )(?<!never )"


# "going to" + a verb is the future ("we're going to rework it" -> "we'll rework it"); before an article,
# a name, a pronoun or a place it is a journey ("going to the shop", "going to Leeds", "going to school").
_GOING_TO = re.compile(
    r"\b(?:(i|we|you|they|he|she|it)(?:['’]re|['’]m|['’]s| are| am| is)|(im)|(is|are|am)) going to "
    r"(?!(?:the|a|an|my|your|our|their|his|her|its|this|that|these|those|some|school|work|bed|church|town|lunch|"
    r"dinner|breakfast|class|hospital|university|college|court|prison|jail|market|sea|hell|war|press)\b)"
    r"(?=(?-i:[a-z]+)\b)",
    re.I,
)


def _will(m: re.Match) -> str:
    who = m.group(1) or ("i" if m.group(2) else "")
    if not who:
        return "will "
    word = "I" if who.lower() == "i" else who
    return f"{word}'ll "


def _gerund(verb: str) -> str:
    v = verb.lower()
    if v.endswith("e") and not v.endswith(("ee", "ye", "oe")):
        return verb[:-1] + "ing"
    if len(v) <= 4 and re.search(r"[^aeiou][aeiou][bdgmnprt]$", v):
        return verb + verb[-1] + "ing"
    return verb + "ing"


def concise(sentence: str) -> str:
    s = sentence
    for pat in _FILLERS:  # "not very good" keeps its "very": dropping it would change the claim
        s = re.sub(pat if pat.startswith("^") else _NOT_AFTER_NEGATION + pat, "", s, flags=re.I)
    for pat, new in _WORDY.items():
        s = re.sub(pat, new, s, flags=re.I)
    s = re.sub(r"\btaking the time to ([a-z]+)\b", lambda m: _gerund(m.group(1)), s, flags=re.I)  # "for speaking"
    s = _GOING_TO.sub(_will, s)
    # a polite question that already says "please" is the same request as an imperative
    s = re.sub(r"^(\s*)(?:could|would|can|will) you (?:please|kindly) ([a-z][^?]*)\?(\s*)$", r"\1Please \2.\3", s, flags=re.I)
    s = _THAT.sub(r"\1 ", s)
    return friendly(s)  # contractions: "I am" -> "I'm", "do not" -> "don't", one word fewer each


def professional(sentence: str) -> str:
    s = _sub_words(sentence, _SLANG)
    s = _sub_words(s, _EXPANSIONS)
    s = re.sub(r"!{2,}|\?{2,}", lambda m: m.group(0)[0], s)
    s = re.sub(r"!", ".", s)
    s = re.sub(r"\s*(?:lol|lmao|haha+|:\)|:D|;\))\s*", " ", s, flags=re.I).strip()
    s = _tidy(s)
    if s and s[-1].isalnum():
        s += "."
    return s


_HAVE_HELPS = (r"(?=\s+(?:\w+ed|\w+en|been|had|got|done|made|sent|heard|told|paid|left|lost|met|found|bought|brought|"
               r"thought|kept|spent|read|said|already|just|never|not|always|also|still|finally|recently)\b)")


def friendly(sentence: str) -> str:
    s = sentence
    for long, short in _CONTRACTIONS.items():
        # "have" contracts only as a helper verb: "I've sent it", not "I've another offer" or "I've to stay"
        after = _HAVE_HELPS if long.endswith(" have") else ""
        s = re.sub(rf"\b{long}\b{after}", lambda m, short=short: _case_like(m.group(0), short), s, flags=re.I)
    s = re.sub(r"\bthank you\b", lambda m: _case_like(m.group(0), "thanks"), s, flags=re.I)  # the casual word
    return _tidy(s)


def rewrite(sentence: str) -> str:
    return _tidy(re.sub(r"\s+", " ", sentence))


EDITS = {"concise": concise, "professional": professional, "friendly": friendly, "rewrite": rewrite}


def apply(tone: str, sentence: str) -> str:
    """The tone's deterministic edit of one sentence (custom instructions get none)."""
    edit = EDITS.get(tone)
    return edit(sentence) if edit else sentence


# Salutations and sign-offs are kept as written, except that a tone may swap the opening word.
_OPENING = {
    "friendly": [(r"^(\s*)dear\b", "Hi"), (r"^(\s*)hello\b", "Hi")],
    "professional": [(r"^(\s*)(?:hey|hiya|yo)\b", "Hello")],
}
_CLOSING = {
    "friendly": [(r"^(\s*)(?:kind regards|best regards|regards|sincerely|yours sincerely)\b", "Best wishes")],
    "professional": [(r"^(\s*)(?:cheers|thx|ta)\b", "Best regards")],
}


def opening(tone: str, line: str) -> str:
    for pat, new in _OPENING.get(tone, []):
        line = re.sub(pat, lambda m, new=new: m.group(1) + new, line, count=1, flags=re.I)
    return line


def closing(tone: str, line: str) -> str:
    for pat, new in _CLOSING.get(tone, []):
        line = re.sub(pat, lambda m, new=new: m.group(1) + new, line, count=1, flags=re.I)
    return line
