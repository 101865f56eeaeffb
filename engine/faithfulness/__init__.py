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

Modules: policy (modes and results), facts, negation, drift (person, task, word swaps), relations
(prepositions and bounds before facts, directions, doubled words, feelings, requests, lowercase
names), coverage (no clause lost whole, no complaint word lost, no title added), check.
"""

from .check import check, is_instruction, overlap
from .facts import Fact, facts, function_words
from .negation import negations
from .policy import MODES, Faithfulness, Policy, Problem

__all__ = ["MODES", "Fact", "Faithfulness", "Policy", "Problem", "check", "facts", "function_words", "is_instruction",
           "negations", "overlap"]
