"""Which sentence choice works: position, centrality and headings, the model's own judgement, or both.

    PYTHONPATH=. python benchmarks/summary_selection.py --limit 100

Scores the *extract* step alone (no model writing afterwards), so the figure is about choosing:
for each WikiLingua dev document, the sentences a summary would start from (as many as the
summary asks for) are chosen by
- lead: the first k sentences;
- shipped: engine/summarize/extract.py's score (position + centrality + heading words);
- model: the model's own judgement of each sentence, as pointwise mutual information with the
  document: (log P(sentence | document + "the most important point is:") - log P(sentence | that cue
  alone)) per token. A sentence the document makes the model expect as its main point scores
  high; a sentence that is merely likely anywhere does not;
- shipped + model: both, each standardised within the document, model weighted 0.5 and 1.0;
and ROUGE-1/2/Lsum F1 (rouge-score, stemming on) against the reference summaries is printed per
chooser, with the seconds the model's judgement costs per document.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "summ-dev" / "wikilingua_en.jsonl"
CUE = "\n\nIn one sentence, the most important point of this text is:"


def standardised(values: list[float], mask: list[bool]) -> list[float]:
    live = [v for v, m in zip(values, mask) if m]
    if len(live) < 2:
        return [0.0 if m else -1e9 for m in mask]
    mu, sd = statistics.mean(live), statistics.pstdev(live) or 1.0
    return [(v - mu) / sd if m else -1e9 for v, m in zip(values, mask)]


def model_judgement(model, sents, document: str, choosable: list[bool]) -> list[float]:
    idx = [i for i, ok in enumerate(choosable) if ok]
    texts = [" " + " ".join(sents[i].text.split()) for i in idx]
    cond = model.score_texts(texts, context=" ".join(document.split()) + CUE)
    base = model.score_texts(texts, context=CUE.strip())
    out = [0.0] * len(sents)
    for i, t, c, b in zip(idx, texts, cond, base):
        out[i] = (c - b) / max(1, model.count_tokens(t))
    return out


def pick(values: list[float], k: int, sents, bags, idf, cosine, max_similar: float = 0.6) -> list[int]:
    """The k best, skipping one that mostly repeats a chosen one (as extract.select does)."""
    chosen: list[int] = []
    for i in sorted(range(len(values)), key=lambda i: -values[i]):
        if len(chosen) >= k or values[i] <= -1e8:
            break
        if any(cosine(bags[i], bags[j], idf) > max_similar for j in chosen):
            continue
        chosen.append(i)
    return sorted(chosen)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(DEFAULT_DATA))
    ap.add_argument("--limit", type=int, default=100)
    ap.add_argument("--offset", type=int, default=0)
    ap.add_argument("--threads", type=int, default=None)
    args = ap.parse_args()

    from rouge_score import rouge_scorer

    from benchmarks.quality_summarize import sentences
    from engine.runtime import LoadOptions, load_model
    from engine.summarize import extract, prompts

    rows = [json.loads(line) for line in Path(args.data).read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = rows[args.offset: args.offset + args.limit]
    model = load_model(None, LoadOptions(n_threads=args.threads) if args.threads else LoadOptions())
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    choosers = ["lead", "shipped", "model", "shipped+0.5 model", "shipped+1.0 model"]
    results: dict[str, list[dict[str, float]]] = {c: [] for c in choosers}
    seconds = []
    for n, row in enumerate(rows, 1):
        doc = row["document"]
        sents = extract.source_sentences(doc)
        if not sents:
            continue
        k = prompts.final_count("summary", prompts.summary_sentences(doc))
        mask = [extract.choosable(s) for s in sents]
        shipped = extract.scores(sents)
        t0 = time.perf_counter()
        judged = model_judgement(model, sents, doc, mask)
        seconds.append(time.perf_counter() - t0)
        zs, zm = standardised(shipped, mask), standardised(judged, mask)
        values = {
            "lead": [-i if m else -1e9 for i, m in enumerate(mask)],
            "shipped": zs,
            "model": zm,
            "shipped+0.5 model": [a + 0.5 * b for a, b in zip(zs, zm)],
            "shipped+1.0 model": [a + 1.0 * b for a, b in zip(zs, zm)],
        }
        bags, idf = extract._vectors(sents)
        ref = "\n".join(sentences(row["summary"]))
        for name, vals in values.items():
            chosen = pick(vals, k, sents, bags, idf, extract._cosine)
            hyp = "\n".join(" ".join(sents[i].text.split()) for i in chosen)
            s = scorer.score(ref, hyp)
            results[name].append({m: v.fmeasure for m, v in s.items()})
        print(f"\r{n}/{len(rows)}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    print(f"documents: {len(results['lead'])}; model judgement: median {statistics.median(seconds):.2f} s/document\n")
    print("| chooser | ROUGE-1 | ROUGE-2 | ROUGE-Lsum |\n|---|---|---|---|")
    for name in choosers:
        means = [100 * statistics.mean(d[m] for d in results[name]) for m in ("rouge1", "rouge2", "rougeLsum")]
        print(f"| {name} | " + " | ".join(f"{x:.2f}" for x in means) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
