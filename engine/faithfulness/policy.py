"""What a faithful candidate owes its source (`Policy`, the `MODES`), and what the check reports
(`Problem`, `Faithfulness`)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Policy:
    keep_facts: bool = True  # every fact of the source must be in the candidate
    add_no_facts: bool = True  # every fact of the candidate must be in the source
    keep_negation_count: bool = True  # as many negations as the source (not only none flipped)
    no_word_swaps: bool = False  # content words may change form or spelling only
    min_overlap: float = 0.2  # share of the source's content words the candidate must share (0: off)
    relations: bool = True  # relations.py: prepositions before facts, directions, requests, feelings
    keep_clauses: bool = True  # coverage.py: no clause of the source lost whole, no complaint word lost


MODES: dict[str, Policy] = {
    "rewrite": Policy(),
    "summary": Policy(keep_facts=False, keep_negation_count=False, min_overlap=0.0, keep_clauses=False),
    # a correction may fix a preposition before a date ("in Monday" -> "on Monday"): no relation rules
    "edit": Policy(no_word_swaps=True, min_overlap=0.5, relations=False, keep_clauses=False),
}

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
        if self.what == "relation":
            return f"changed {q(self.text)} to {q(self.replacement)}" if self.text[:5] != "says " else \
                f"{self.text}: {q(self.replacement)}"
        if self.what == "person":
            return f"changed who it is about ({self.text} became {self.replacement})"
        if self.what == "doubled":
            return f"put a word of the text in place of another: {q(self.text)}"
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
            "feeling": "added a feeling or pleasantry the writer did not express",
            "request": "turned a question or request into a statement",
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
