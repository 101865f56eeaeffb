"""Rewrite quality on the everyday texts (../shared/eval/user-texts/dev.jsonl), per tone.

    PYTHONPATH=. python benchmarks/quality_rewrite.py --limit 12 --tones rewrite,concise
    PYTHONPATH=. python benchmarks/quality_rewrite.py --baseline /tmp/base-tree   # also run another tree

Per tone: usable % (an answer was given: exit status 0), faithful % (usable, every `must_keep`
item present case-insensitively, no `polarity` phrase flipped or lost, no number or capitalised
name that the input does not have), changed % (output differs from input), median length ratio
(output words / input words, usable outputs), and median seconds per text.

The scorer here is deliberately separate from engine/faithfulness/ (the pipeline filters with
that check; scoring with it too would grade it by itself): plain substring, digit and capital
tests. A polarity phrase counts as kept when it is in the output verbatim, or when the output
sentence sharing most of its content words (any of them, on a tie) has a negation (or, for a phrase
without one, when its
content words are there). `--baseline DIR` runs the same texts with the engine in DIR (a checkout of
another commit) in a child process on this machine, and prints both tables.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "user-texts" / "dev.jsonl"
TONES = ["rewrite", "friendly", "professional", "concise", "custom"]
CUSTOM = "Rewrite this so a ten-year-old could understand it."
NEG = re.compile(r"\b(?:not|no|never|nothing|nobody|none|neither|nor|without|cannot|unable|hardly|barely|"
                 r"no longer|\w+n['’]t|cant|dont|wont|didnt|doesnt|isnt|wasnt|havent|hasnt)\b", re.I)
STOP = set("the a an and or but of to in on at for with is are was were be been it this that i you he she we they "
           "my your our their have has had do does did so as by from if then than".split())


def content(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-z']+", text.lower()) if w not in STOP and not NEG.fullmatch(w) and len(w) > 2}


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def polarity_kept(phrase: str, output: str) -> bool:
    if phrase.lower() in output.lower():
        return True
    words = content(phrase)
    if not words:
        return True
    shared = [(len(words & content(s)), s) for s in sentences(output)]
    overlap = max((k for k, _ in shared), default=0)
    if not overlap:
        return False
    best = [s for k, s in shared if k == overlap]  # a tie ("great" in two sentences): any of them may hold it
    return any(NEG.search(s) for s in best) if NEG.search(phrase) else True


def new_facts(source: str, output: str) -> list[str]:
    added = [n for n in re.findall(r"\d+(?:[.,:]\d+)*", output) if n not in source]
    src_words = {w.lower() for w in re.findall(r"[A-Za-z][\w']*", source)}
    for m in re.finditer(r"(?<=[a-z,;] )([A-Z][^\W\d_]+)", output):  # capitalised mid-sentence words ("Wiśniewski" whole)
        if m.group(1).lower() not in src_words:
            added.append(m.group(1))
    return added


def score(row: dict, output: str, ok: bool) -> dict:
    text = row["text"]
    missing = [k for k in row["must_keep"] if k.lower() not in output.lower()]
    flipped = [p for p in row["polarity"] if not polarity_kept(p, output)]
    added = new_facts(text, output)
    return {
        "usable": ok,
        "faithful": ok and not missing and not flipped and not added,
        "changed": ok and " ".join(output.split()) != " ".join(text.split()),
        "ratio": len(output.split()) / max(1, len(text.split())),
        "missing": missing, "flipped": flipped, "added": added,
    }


def run(rows: list[dict], tones: list[str], threads: int, out_path: str | None) -> dict:
    from engine.runtime import LoadOptions, load_model
    from engine.tasks.rewrite import rewrite

    model = load_model(None, LoadOptions(n_threads=threads))
    results: dict[str, list[dict]] = {t: [] for t in tones}
    out = open(out_path, "w", encoding="utf-8") if out_path else None
    for row in rows:
        for tone in tones:
            t0 = time.perf_counter()
            r = rewrite(model, row["text"], tone=tone, instruction=CUSTOM if tone == "custom" else "")
            s = score(row, r.text, r.ok)
            s["seconds"] = time.perf_counter() - t0
            results[tone].append(s)
            if out:
                out.write(json.dumps({"id": row["id"], "tone": tone, "ok": r.ok, "problem": r.problem, "text": r.text,
                                      "parts": getattr(r, "parts", []), "edits": r.edits, **s}, ensure_ascii=False) + "\n")
                out.flush()
            print(f"{row['id']:28} {tone:12} ok={int(r.ok)} faithful={int(s['faithful'])} changed={int(s['changed'])} "
                  f"ratio={s['ratio']:.2f} {s['seconds']:.1f}s {s['missing'] or ''}{s['flipped'] or ''}{s['added'] or ''}",
                  file=sys.stderr, flush=True)
    model.close()
    return results


def table(results: dict, label: str) -> list[str]:
    lines = [f"{label}", f"{'tone':13}{'n':>4}{'usable %':>10}{'faithful %':>12}{'changed %':>11}{'len ratio':>11}{'s/text':>9}"]
    for tone, rs in results.items():
        if not rs:
            continue
        n = len(rs)
        pct = lambda k: 100.0 * sum(r[k] for r in rs) / n  # noqa: E731
        ratios = [r["ratio"] for r in rs if r["usable"]] or [float("nan")]
        lines.append(f"{tone:13}{n:>4}{pct('usable'):>10.0f}{pct('faithful'):>12.0f}{pct('changed'):>11.0f}"
                     f"{statistics.median(ratios):>11.2f}{statistics.median(r['seconds'] for r in rs):>9.1f}")
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(DEFAULT_DATA))
    ap.add_argument("--limit", type=int, default=0, help="first N texts (0: all)")
    ap.add_argument("--every", type=int, default=1, help="take every k-th text (a spread subset)")
    ap.add_argument("--offset", type=int, default=0, help="start at this text (with --every: another spread subset)")
    ap.add_argument("--tones", default=",".join(TONES))
    ap.add_argument("--threads", type=int, default=1, help="llama.cpp threads (1 on a shared, busy CPU)")
    ap.add_argument("--out", help="per-text outputs and scores as JSON lines")
    ap.add_argument("--baseline", help="a checkout of another commit to run on the same texts")
    ap.add_argument("--json-results", help=argparse.SUPPRESS)
    ap.add_argument("--merge", nargs="+", metavar="OUT", help="print one table from the --out files of several runs "
                    "(for example two processes on --every 2 --offset 0 and 1) and exit")
    args = ap.parse_args()
    rows = [json.loads(line) for line in Path(args.data).read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.merge:
        merged: dict[str, list[dict]] = {}
        by_id = {row["id"]: row for row in rows}
        for path in args.merge:
            for line in Path(path).read_text(encoding="utf-8").splitlines():
                r = json.loads(line)  # scored again with this scorer, so runs of different days compare
                merged.setdefault(r["tone"], []).append({**r, **score(by_id[r["id"]], r["text"], r["ok"])})
        n = len({r["id"] for rs in merged.values() for r in rs})
        print(f"{n} texts from {', '.join(Path(p).name for p in args.merge)}")
        print("\n".join(table({t: merged[t] for t in TONES if t in merged}, "merged")))
        return 0
    rows = rows[args.offset:: args.every]
    if args.limit:
        rows = rows[: args.limit]
    tones = args.tones.split(",")
    base = None
    if args.baseline:
        tmp = Path(os.environ.get("TMPDIR", "/tmp")) / f"quality_rewrite_base_{os.getpid()}.json"
        cmd = [sys.executable, str(Path(__file__).resolve()), "--data", args.data, "--every", str(args.every),
               "--offset", str(args.offset),
               "--limit", str(args.limit), "--tones", args.tones, "--threads", str(args.threads), "--json-results", str(tmp)]
        env = dict(os.environ, PYTHONPATH=str(Path(args.baseline).resolve()))
        child = subprocess.Popen(cmd, env=env)  # runs alongside: same texts, same machine, same load
    ours = run(rows, tones, args.threads, args.out)
    if args.json_results:
        Path(args.json_results).write_text(json.dumps(ours))
        return 0
    if args.baseline:
        child.wait()
        base = json.loads(tmp.read_text())
        tmp.unlink()
    print(f"{len(rows)} texts from {Path(args.data).name}, llama.cpp threads={args.threads}")
    print("\n".join(table(ours, "this tree")))
    if base:
        print("\n".join(table(base, f"baseline ({args.baseline})")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
