"""A candidate that drifted from its source: it speaks of someone else (first person became
second), does another task (chatter, advice, a reply, the prompt's words, an obeyed instruction,
another text), or swaps a content word for an unrelated one."""

from __future__ import annotations

import re
from typing import Sequence

from .negation import content_words
from .policy import Policy, Problem


_PERSONS = {
    "first person": {"i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves", "i'm", "i've", "i'll",
                     "i'd", "we're", "we've", "we'll", "we'd", "im", "ive"},
    "second person": {"you", "your", "yours", "yourself", "yourselves", "you're", "you've", "you'll", "you'd"},
    "third person": {"they", "them", "their", "they're", "they've", "they'll", "they'd", "he", "him", "his", "she",
                     "her", "he's", "she's", "he'll", "she'll"},
}


def person_problems(source: str, candidate: str) -> list[Problem]:
    """"Please cancel my subscription" -> "Please cancel your subscription": the writer became the reader."""
    def count(text: str) -> dict[str, int]:
        ws = re.findall(r"[a-z]+(?:['’][a-z]+)?", text.lower().replace("’", "'"))
        return {k: sum(w in v for w in ws) for k, v in _PERSONS.items()}

    src, cand = count(source), count(candidate)
    if src["first person"] and not cand["first person"] and cand["second person"] > src["second person"]:
        return [Problem("changed", "person", "first person", "second person")]
    if src["second person"] and not cand["second person"] and cand["first person"] > src["first person"]:
        return [Problem("changed", "person", "second person", "first person")]
    # "we'll run a second round" -> "they'll run a second round": the writer became someone else
    if cand["first person"] < src["first person"] and cand["third person"] > src["third person"]:
        return [Problem("changed", "person", "first person", "third person")]
    return []


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
# a label the model wrote before its answer: "Task:", "The original text is:", "Rewritten sentence:"
_PROMPT_LINE = re.compile(
    r"(?:^|(?<=[-*] )|(?<=[.!?] ))\s*(?:(?:the|here is the|here's the)\s+)?"
    r"(?:(?:original|rewritten|revised|new|final|corrected|simplified|updated|shortened|friendly|professional|"
    r"concise)\s+)?(?:task|text|sentence|version|answer|instruction|instructions|input|output|system|user|"
    r"assistant|rewritten|rewrite)\s*(?:is|was|reads)?\s*:", re.I | re.M)
INJECTION = re.compile(
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


def task_problems(source: str, candidate: str, prompt: Sequence[str], policy: Policy, overlap: float) -> list[Problem]:
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
    inj = INJECTION.search(source)
    if inj:
        payload = source[inj.end(): inj.end() + 200].split("\n")[0]
        pw, cw = set(content_words(payload)), content_words(candidate)
        if cw and sum(w in pw for w in cw) / len(cw) >= 0.6 and len(cw) < 0.6 * len(content_words(source)):
            out.append(Problem("task", "instruction", candidate.strip()[:80]))
    if policy.min_overlap and len(content_words(source)) >= 6 and overlap < policy.min_overlap:
        out.append(Problem("task", "other-text", candidate.strip()[:80]))
    return out



def _related(a: str, b: str) -> bool:
    from difflib import SequenceMatcher

    from ..proofread.align import _stem_related

    return _stem_related(a, b) or SequenceMatcher(None, a, b).ratio() >= 0.75


def swap_problems(source: str, candidate: str) -> list[Problem]:
    src = content_words(source)
    out = []
    for w in dict.fromkeys(content_words(candidate)):
        if w in src or any(_related(w, s) for s in src) or re.fullmatch(r"\d.*", w):
            continue
        out.append(Problem("changed", "word", w))
    return out
