"""Proofreading quality on JFLEG dev: GLEU of (a) the unedited input, (b) the raw model with a
plain "correct this" prompt, (c) the dictionary layer alone, (d) the pipeline in careful mode
(the default) and (e) in thorough mode; plus the clean-text change rate: already-correct
dev.ref0 sentences that come back changed.

    PYTHONPATH=. python benchmarks/quality_proofread.py [--limit N] [--part all|gleu|clean|raw|user|layers]

--part user proofreads ../shared/eval/user-texts/dev.jsonl: every `must_keep` item must survive,
and each text's inline diff is written to --diffs so the changes can be read one by one.
--part layers measures what each layer adds (rules, confusion-set ranking, scoring the model's
own fixes) on the same sentences, GLEU and clean-text change rate for each.

--part paired runs careful mode on the learner and the clean sentences chunk by chunk, saving both
(--save), so a stopped run is scored on the same first N of each.
--part lets the slow halves run as separate processes; --raw-limit bounds (b), whose answers
run to the token limit (it loops) and so cost most of the time.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.jfleg import DEFAULT_DIR, detokenize, gleu, read, retokenized  # noqa: E402
from dataclasses import replace  # noqa: E402

from engine.proofread import Draft  # noqa: E402
from engine.proofread.pipeline import Options  # noqa: E402
from engine.proofread.prompts import plain_messages  # noqa: E402
from engine.runtime import LoadOptions, load_model  # noqa: E402

CHUNK = 25  # sentences per Draft: one per line, so results map back line by line


def run_pipeline(model, lines: list[str], modes=("careful", "thorough"), use_model: bool = True,
                 options: Options | None = None, margins: tuple = (), save: str | None = None) -> dict[str, list[str]]:
    """Corrected lines per mode, each with `options` as given (the default: the model's own fixes
    scored, as `proofread` does); with `margins`, also per "careful@margin" (the model's own fixes
    kept only when scoring prefers them by that margin; None: not scored), from the same model
    pass. With `save`, each mode's lines are also appended to `save.MODE` as every chunk finishes
    (a stopped run can still be scored on the lines it covered)."""
    keys = list(modes) + [f"careful@{m}" for m in margins]
    out: dict[str, list[str]] = {k: [] for k in keys}
    if save:
        for key in keys:
            Path(f"{save}.{key}").write_text("", encoding="utf-8")
    for i in range(0, len(lines), CHUNK):
        part = lines[i : i + CHUNK]
        opts = options or Options()
        if any(m is not None for m in margins) and opts.model_margin is None:
            opts = replace(opts, model_margin=next(m for m in margins if m is not None))  # the scores get computed
        draft = Draft(model, "\n".join(part), use_model=use_model, options=opts)
        for key in keys:
            mode, at, margin = key.partition("@")
            # "careful" keeps the options' own margin (before this, it silently meant "not scored")
            draft.options = replace(opts, model_margin=(None if margin == "None" else float(margin)) if at else
                                    (options or Options()).model_margin)
            fixed = draft.result(mode).text.split("\n")
            if len(fixed) != len(part):
                raise RuntimeError("the pipeline changed the number of lines")
            out[key] += fixed
            if save:
                with open(f"{save}.{key}", "a", encoding="utf-8") as f:
                    f.write("".join(line + "\n" for line in fixed))
        print(f"  {i + len(part)}/{len(lines)}", file=sys.stderr, flush=True)
    return out


def run_raw(model, lines: list[str]) -> list[str]:
    """The plain prompt, the model's whole answer on one line (what a naive tool would paste back)."""
    prompts = [model.prompt_tokens(plain_messages(s)) for s in lines]
    budgets = [2 * model.count_tokens(s) + 16 for s in lines]
    return [" ".join(text.split()) for text, _ in model.generate_many(prompts, budgets)]


def user_texts(model, path: Path, diffs: Path, limit: int | None = None, offset: int = 0) -> None:
    """Every must_keep item of the everyday texts survives; diffs written for reading."""
    import json

    from engine.proofread import proofread
    from engine.proofread.diff import inline_diff

    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = rows[offset:][:limit] if limit else rows[offset:]
    kept = kept_case = total = changed = 0
    lost: list[str] = []
    lost_case: list[str] = []
    t = time.perf_counter()
    with open(diffs, "w", encoding="utf-8") as f:
        for n, row in enumerate(rows, 1):
            t0 = time.perf_counter()
            result = proofread(model, row["text"])
            for item in row["must_keep"]:
                total += 1
                kept_case += item in result.text
                # the data set's rule: case-insensitive (a proofread may capitalise "mrs kowalski")
                if item.lower() in result.text.lower():
                    kept += 1
                else:
                    lost.append(f"{row['id']}: {item!r}")
                if item in row["text"] and item not in result.text:
                    lost_case.append(f"{row['id']}: {item!r}")
            changed += bool(result.edits)
            print(f"  {n}/{len(rows)} {row['id']} {len(result.edits)} edits {time.perf_counter() - t0:.1f} s",
                  file=sys.stderr, flush=True)
            f.write(f"## {row['id']} ({len(result.edits)} edits)\n")
            for e in result.edits:
                f.write(f"- {e.original!r} -> {e.replacement!r} [{e.category}] {e.reason}\n")
            f.write(inline_diff(row["text"], result.edits) + "\n\n")
    print(f"\nuser texts ({len(rows)}): must_keep kept {kept}/{total} = {100 * kept / total:.1f} % (case-insensitive; "
          f"exact case {kept_case}/{total}); {changed}/{len(rows)} texts changed; "
          f"{time.perf_counter() - t:.0f} s; diffs in {diffs}")
    for item in lost:
        print(f"  lost: {item}")
    for item in lost_case:
        print(f"  case changed: {item}")


def layers(model, data: Path, src: list[str], plain: list[str], clean: list[str], limit) -> None:
    """GLEU and clean-text change rate with each layer switched on or off (same sentences)."""
    configs = [
        ("dictionary layer + sure rules, no model", None, ()),
        ("careful", Options(), (None, 3.0)),
        ("careful + confusion-set ranking", Options(confusion=True), ()),
        ("careful, rules off (spelling verified, model)", Options(rules=False), ()),
    ]
    print("\n| configuration | GLEU | clean changed | time |\n|---|---:|---:|---:|")
    for label, opts, margins in configs:
        t = time.perf_counter()
        use = opts is not None
        fixed = run_pipeline(model, plain, ("careful",), use_model=use, options=opts, margins=margins)
        back = run_pipeline(model, clean, ("careful",), use_model=use, options=opts, margins=margins)
        secs = time.perf_counter() - t
        for key in fixed:
            at = key.partition("@")[2]
            name = label + (", model's own fixes not scored" if at == "None" else
                            f", model's own fixes scored ≥ {at}" if at else
                            f" (model's own fixes scored ≥ {opts.model_margin})" if opts and opts.model_margin is not None else "")
            score = gleu(data, src, retokenized(src, fixed[key]), limit)
            n = sum(a != b for a, b in zip(clean, back[key]))
            print(f"| {name} | {score:.2f} | {n}/{len(clean)} = {100 * n / len(clean):.1f} % | {secs:.0f} s |", flush=True)


def paired(model, data: Path, src: list[str], plain: list[str], clean: list[str], limit, save: str,
           options: Options | None = None) -> None:
    """Careful mode on learner and on clean sentences chunk by chunk, both saved as they finish, so
    a run stopped early still gives GLEU and the clean-text change rate on the same first N."""
    names = {"src": f"{save}-src.careful", "ref0": f"{save}-ref0.careful"}
    for name in names.values():
        Path(name).write_text("", encoding="utf-8")
    fixed: list[str] = []
    back: list[str] = []
    t = time.perf_counter()
    for i in range(0, len(plain), CHUNK):
        for lines, out, name in ((plain, fixed, names["src"]), (clean, back, names["ref0"])):
            part = run_pipeline(model, lines[i : i + CHUNK], ("careful",), options=options)["careful"]
            out += part
            with open(name, "a", encoding="utf-8") as f:
                f.write("".join(line + "\n" for line in part))
        print(f"paired: {len(fixed)}/{len(plain)} sentences, {time.perf_counter() - t:.0f} s", file=sys.stderr, flush=True)
    n = len(fixed)
    changed = sum(a != b for a, b in zip(clean, back))
    label = "careful (default)" if options is None else f"careful, {options}"
    print(f"| {label}, {n} sentences | {gleu(data, src[:n], retokenized(src[:n], fixed), n):.2f} "
          f"(unedited {gleu(data, src[:n], src[:n], n):.2f}) | clean changed {changed}/{n} = {100 * changed / n:.1f} % "
          f"| {time.perf_counter() - t:.0f} s |")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--limit", type=int, default=None, help="first N sentences only (development)")
    ap.add_argument("--offset", type=int, default=0,
                    help="--part clean: skip the first N sentences (continue a stopped run; its lines are saved apart)")
    ap.add_argument("--raw-limit", type=int, default=None, help="first N sentences for (b)")
    ap.add_argument("--part", choices=["all", "gleu", "clean", "raw", "user", "layers", "paired"], default="all")
    ap.add_argument("--diffs", type=Path, default=Path("/tmp/hushwrite-user-diffs.txt"), help="where --part user writes its diffs")
    ap.add_argument("--user-limit", type=int, default=None, help="--part user: first N texts only")
    ap.add_argument("--user-offset", type=int, default=0, help="--part user: skip this many texts")
    ap.add_argument("--save", help="--part gleu/clean: append corrected lines to SAVE-src.MODE / SAVE-ref0.MODE as they finish")
    ap.add_argument("--confusion", type=float, default=None, metavar="MARGIN",
                    help="--part paired/clean: also rank the general confusion set, keeping a change at this margin (nats)")
    ap.add_argument("--threads", type=int, default=None, help="llama.cpp threads (default: physical cores)")
    args = ap.parse_args()
    src = read(args.data, "dev.src", args.limit)
    plain = [detokenize(s) for s in src]
    model = load_model(options=LoadOptions(n_threads=args.threads))
    options = None if args.confusion is None else Options(confusion=True, confusion_margin=args.confusion)
    print(f"JFLEG dev, {len(src)} sentences, model {model.name}\n\n| system | GLEU | time |\n|---|---:|---:|")
    if args.part in ("all", "gleu"):
        print(f"| (a) unedited input | {gleu(args.data, src, src, args.limit):.2f} | |", flush=True)
    if args.part in ("all", "raw"):
        n = args.raw_limit or len(src)
        t = time.perf_counter()
        raw = run_raw(model, plain[:n])
        score = gleu(args.data, src[:n], retokenized(src[:n], raw), n)
        base = gleu(args.data, src[:n], src[:n], n)
        print(f"| (b) raw model, plain prompt (first {n}; unedited {base:.2f}) | {score:.2f} | {time.perf_counter() - t:.0f} s |", flush=True)
    if args.part in ("all", "gleu"):
        t = time.perf_counter()
        spelled = run_pipeline(model, plain, ("careful",), use_model=False)["careful"]
        print(f"| (c) dictionary layer only | {gleu(args.data, src, retokenized(src, spelled), args.limit):.2f} | {time.perf_counter() - t:.0f} s |", flush=True)
        t = time.perf_counter()
        ours = run_pipeline(model, plain, save=args.save and f"{args.save}-src")
        secs = time.perf_counter() - t
        for label, mode in (("(d) Hushwrite, careful (default)", "careful"), ("(e) Hushwrite, thorough", "thorough")):
            print(f"| {label} | {gleu(args.data, src, retokenized(src, ours[mode]), args.limit):.2f} | {secs:.0f} s (both) |", flush=True)
    if args.part in ("all", "user"):
        user_texts(model, args.data.parent / "user-texts" / "dev.jsonl", args.diffs, args.user_limit, args.user_offset)
    if args.part == "layers":
        layers(model, args.data, src, plain, [detokenize(s) for s in read(args.data, "dev.ref0", args.limit)], args.limit)
    if args.part == "paired":
        paired(model, args.data, src, plain, [detokenize(s) for s in read(args.data, "dev.ref0", args.limit)], args.limit,
               args.save or "/tmp/hushwrite-jfleg", options)
    if args.part in ("all", "clean"):
        clean = [detokenize(s) for s in read(args.data, "dev.ref0", args.limit)][args.offset :]
        back = run_pipeline(model, clean, save=args.save and f"{args.save}-ref0", options=options)
        for mode, lines in back.items():
            changed = sum(a != b for a, b in zip(clean, lines))
            print(f"\nclean-text change rate, {mode} (dev.ref0 through the pipeline): {changed}/{len(clean)} = {100 * changed / len(clean):.1f} %")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
