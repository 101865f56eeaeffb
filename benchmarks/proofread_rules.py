"""What each grammar rule does on JFLEG dev: how often it proposes a change to the learner sentences
(dev.src) and to the clean ones (dev.ref0, where any change is a false alarm), how often the change
is made, and — against saved full careful-mode outputs (`quality_proofread.py --part paired
--save`) — the GLEU and clean-text change rate with and without the rules.

    PYTHONPATH=. python benchmarks/proofread_rules.py                      # proposals only, no model
    PYTHONPATH=. python benchmarks/proofread_rules.py --run --baseline /tmp/hushwrite-jfleg

Only the sentences where one of the measured rules proposes something can change, so only those
are proofread, once with the rules and once without (same chunks, same batches), and spliced into
the saved outputs of every other sentence.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.jfleg import DEFAULT_DIR, detokenize, gleu, read, retokenized  # noqa: E402
from engine.proofread.layers import first_layer  # noqa: E402
from engine.proofread.pipeline import Draft, Options  # noqa: E402
from engine.proofread.segment import sentences  # noqa: E402
from engine.proofread.spelling import speller  # noqa: E402

NEW_RULES = ("auxiliary + past", "affect/effect", "a + plural", "this + plural", "glued words", "more + comparative", "make + to")
CHUNK = 25


def proposals(lines: list[str]) -> list[dict[str, list]]:
    """Per line: rule name -> the rule candidates its first layer proposes (sure or not)."""
    spell = speller()
    out = []
    for line in lines:
        found: dict[str, list] = {}
        for s in sentences(line):
            layer = first_layer(s, spell, frozenset())
            for c in [*layer.sure, *(c for c, kind in layer.candidates if kind == "rule")]:
                if getattr(c, "rule", None):
                    found.setdefault(c.rule, []).append(c)
        out.append(found)
    return out


def proofread_lines(model, lines: list[str], options: Options) -> tuple[list[str], Counter]:
    """Careful-mode output per line, and how many times each rule's change was made."""
    fixed: list[str] = []
    made: Counter = Counter()
    for i in range(0, len(lines), CHUNK):
        part = lines[i : i + CHUNK]
        draft = Draft(model, "\n".join(part), options=options)
        for k, _ in enumerate(draft.units):
            for c in [*draft.layers[k].sure, *draft.kept[k]]:
                if getattr(c, "rule", None):
                    made[c.rule] += 1
        text = draft.result("careful").text.split("\n")
        if len(text) != len(part):
            raise RuntimeError("the pipeline changed the number of lines")
        fixed += text
        print(f"  {i + len(part)}/{len(lines)}", file=sys.stderr, flush=True)
    return fixed, made


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--rules", default=",".join(NEW_RULES), help="comma-separated rule names to measure")
    ap.add_argument("--run", action="store_true", help="proofread the sentences they touch, with and without them")
    ap.add_argument("--baseline", help="SAVE prefix of a full paired run: SAVE-src.careful / SAVE-ref0.careful")
    ap.add_argument("--threads", type=int, default=None)
    args = ap.parse_args()
    rules = [r.strip() for r in args.rules.split(",") if r.strip()]
    src = read(args.data, "dev.src")
    sides = {"src": [detokenize(s) for s in src], "ref0": [detokenize(s) for s in read(args.data, "dev.ref0")]}
    found = {side: proposals(lines) for side, lines in sides.items()}
    print(f"JFLEG dev, {len(src)} sentences\n\n| rule | src: sentences proposed | ref0: sentences proposed |\n|---|---:|---:|")
    for rule in sorted({r for side in found.values() for f in side for r in f}):
        n = {side: sum(rule in f for f in found[side]) for side in found}
        print(f"| {rule}{' (measured)' if rule in rules else ''} | {n['src']} | {n['ref0']} |")
    touched = {side: [i for i, f in enumerate(found[side]) if any(r in f for r in rules)] for side in found}
    for side, idx in touched.items():
        for i in idx:
            print(f"  {side} {i}: " + "; ".join(f"{c.word!r}->{c.replacement!r}{'' if c.sure else '?'}"
                                                for r in rules for c in found[side][i].get(r, [])) + f"  | {sides[side][i]}")
    if not args.run:
        return 0
    from engine.runtime import LoadOptions, load_model

    model = load_model(options=LoadOptions(n_threads=args.threads))
    t = time.perf_counter()
    result = {}
    for side, idx in touched.items():
        lines = [sides[side][i] for i in idx]
        with_, made = proofread_lines(model, lines, Options())
        without, _ = proofread_lines(model, lines, Options(skip_rules=frozenset(rules)))
        result[side] = (idx, with_, without, made)
        print(f"\n{side}: {len(idx)} sentences; changes made per rule: {dict(made)}; "
              f"output differs from the run without them in {sum(a != b for a, b in zip(with_, without))}")
        for i, a, b in zip(idx, with_, without):
            if a != b:
                print(f"  {side} {i}\n    without: {b}\n    with:    {a}")
    print(f"({time.perf_counter() - t:.0f} s)")
    if args.baseline:
        base = {side: Path(f"{args.baseline}-{side}.careful").read_text(encoding="utf-8").split("\n")[: len(src)]
                for side in sides}
        for label, pick in (("saved run", None), ("without the rules", 2), ("with the rules", 1)):
            out = {side: list(base[side]) for side in sides}
            if pick:
                for side, r in result.items():
                    for i, line in zip(r[0], r[pick]):
                        out[side][i] = line
            score = gleu(args.data, src, retokenized(src, out["src"]), None)
            changed = sum(a != b for a, b in zip(sides["ref0"], out["ref0"]))
            print(f"| {label} | GLEU {score:.2f} | clean changed {changed}/{len(src)} = {100 * changed / len(src):.1f} % |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
