"""Summary quality on WikiLingua (English dev set): ROUGE-1/2/Lsum F1 for lead-3 and for ours.

    PYTHONPATH=. python benchmarks/quality_summarize.py --limit 50

Scored with rouge-score 0.1.2, stemming on; for ROUGE-Lsum every sentence is put on its own line
in both the summary and the reference, as that metric expects.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "summ-dev" / "wikilingua_en.jsonl"


def sentences(text: str) -> list[str]:
    from engine.textsplit import split_sentences

    flat = " ".join(text.split())
    return [flat[s:e] for s, e in split_sentences(flat)]


def lead3(document: str) -> str:
    return " ".join(sentences(document)[:3])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(DEFAULT_DATA))
    ap.add_argument("--limit", type=int, default=200)
    ap.add_argument("--kind", default="summary")
    ap.add_argument("--out", help="write per-document outputs and scores as JSON lines here")
    args = ap.parse_args()

    from rouge_score import rouge_scorer

    from engine.runtime import load_model
    from engine.summarize import summarize

    rows = [json.loads(line) for line in Path(args.data).read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = rows[: args.limit]
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    model = load_model()
    scores = {"lead-3": [], "hushwrite": []}
    seconds, not_ok, words, ref_words, lead_words = [], 0, [], [], []
    out = open(args.out, "w", encoding="utf-8") if args.out else None
    for i, row in enumerate(rows, 1):
        ref = "\n".join(sentences(row["summary"]))
        t0 = time.perf_counter()
        r = summarize(model, row["document"], args.kind)
        seconds.append(time.perf_counter() - t0)
        ours = r.text if r.ok else ""
        not_ok += not r.ok
        words.append(len(ours.split()))
        ref_words.append(len(row["summary"].split()))
        lead_words.append(len(lead3(row["document"]).split()))
        for name, hyp in (("lead-3", lead3(row["document"])), ("hushwrite", ours)):
            s = scorer.score(ref, "\n".join(sentences(hyp)))
            scores[name].append({k: v.fmeasure for k, v in s.items()})
        if out:
            out.write(json.dumps({"id": row["id"], "ours": ours, "scores": scores["hushwrite"][-1]}) + "\n")
        print(f"\r{i}/{len(rows)}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    print(f"documents: {len(rows)}; unusable outputs: {not_ok}; median seconds/doc: {statistics.median(seconds):.1f}; "
          f"median words: ours {statistics.median(words)}, lead-3 {statistics.median(lead_words)}, "
          f"reference {statistics.median(ref_words)}\n")
    print("| system | ROUGE-1 | ROUGE-2 | ROUGE-Lsum |\n|---|---|---|---|")
    for name, per_doc in scores.items():
        means = [100 * statistics.mean(d[k] for d in per_doc) for k in ("rouge1", "rouge2", "rougeLsum")]
        print(f"| {name} | " + " | ".join(f"{m:.2f}" for m in means) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
