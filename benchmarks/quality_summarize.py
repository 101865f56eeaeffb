"""Summary quality: ROUGE against lead-3 on WikiLingua, and how much of the output is grounded.

    PYTHONPATH=. python benchmarks/quality_summarize.py --limit 30            # WikiLingua dev
    PYTHONPATH=. python benchmarks/quality_summarize.py --user-texts          # everyday texts

WikiLingua (English dev): ROUGE-1/2/Lsum F1 (rouge-score 0.1.2, stemming on; for ROUGE-Lsum every
sentence on its own line in both summary and reference) for lead-3 and for ours, plus
- unsupported rate: the share of output sentences with a number, date or capitalised name that
  does not occur in the document (scored here with its own simple rules, not with the pipeline's
  check, so the pipeline does not grade itself);
- meta-chatter: the share of outputs with a line about the text or the task ("The text contains…");
- spans: the share of shown points that carry a source span inside the document which shares a
  content word with the point.
User texts (`../shared/eval/user-texts/dev.jsonl`, summary and key-points): every number in the
output is in the input; no `polarity` phrase flipped (its words appear without a negation).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "summ-dev" / "wikilingua_en.jsonl"
USER_TEXTS = ROOT.parent / "shared" / "eval" / "user-texts" / "dev.jsonl"

_MONTHS_DAYS = set("""january february march april june july august september october november december
monday tuesday wednesday thursday friday saturday sunday""".split())
_STARTERS = set("""i a an the this that these those it its he she they we you my your our their his her there here
if when then but and or so as at by for from in on to with after before because while although however also
first next finally once each every some many most all no not do don't never always""".split())
_CHATTER = re.compile(
    r"^\s*(?:here\s+(?:is|are)|(?:in\s+)?summary\b|sure\b|(?:the|this)\s+(?:original\s+)?(?:text|passage|document|article|summary|sentences?)\b"
    r"|(?:the\s+)?(?:key|main)\s+(?:points?|ideas?|events?))|\bkey\s+points\b|\bthe\s+text\s+(?:above|contains)\b",
    re.I | re.M,
)
_NEGATION = re.compile(r"\b(?:not|no|never|nothing|none|without|cannot|unable|\w+n['’]t)\b", re.I)


def sentences(text: str) -> list[str]:
    from engine.textsplit import split_sentences

    flat = " ".join(text.split())
    return [flat[s:e] for s, e in split_sentences(flat)]


def lead3(document: str) -> str:
    return " ".join(sentences(document)[:3])


def claims(sentence: str) -> list[str]:
    """Numbers, month/day names and capitalised words after the first word of a sentence."""
    words = re.findall(r"[A-Za-z][\w'’-]*|\d[\d,.:/]*\d|\d", sentence)
    out = [w for w in words if w[0].isdigit() or w.lower() in _MONTHS_DAYS]
    out += [w for w in words[1:] if w[0].isupper() and w.lower() not in _STARTERS and w.lower() not in _MONTHS_DAYS]
    return out


def unsupported(sentence: str, document: str) -> list[str]:
    doc_words = {w.lower().strip(".,:") for w in re.findall(r"[A-Za-z][\w'’-]*|\d[\d,.:/]*\d|\d", document)}
    doc_flat = document.lower()
    bad = []
    for c in claims(sentence):
        key = c.lower().strip(".,:")
        if key in doc_words or (c[0].isdigit() and key in doc_flat):
            continue
        bad.append(c)
    return bad


def has_chatter(text: str) -> bool:
    return any(_CHATTER.search(line.lstrip("-*0123456789. |")) for line in text.splitlines())


def span_ok(point, document: str) -> bool:
    if not point.spans:
        return False
    words = {w for w in re.findall(r"[a-z0-9]{3,}", point.text.lower())}
    for s, e in point.spans:
        if not (0 <= s < e <= len(document)):
            return False
    under = " ".join(document[s:e] for s, e in point.spans).lower()
    return any(w in under for w in words)


def _bare(text: str) -> str:
    return " ".join(re.sub(r"^[\s*•-]+|[\s.:;!?]+$", "", text).lower().split())


def flipped(phrase: str, output: str, source: str = "") -> bool:
    """A negated phrase whose content words are in the output, in a sentence without a negation.
    A sentence copied from the input as written (list markers and end punctuation aside) cannot
    flip it: "The location is great" is not "not great" turned round when the input says both."""
    content = [w for w in re.findall(r"[a-z]{4,}", phrase.lower()) if not _NEGATION.fullmatch(w)]
    if not content:
        return False
    copied = _bare(" ".join(source.split()))
    for s in sentences(output):
        low = s.lower()
        if all(w in low for w in content) and not _NEGATION.search(s) and phrase.lower() not in low:
            if source and _bare(s) and _bare(s) in copied:
                continue
            return True
    return False


def run_wikilingua(args, model, summarize) -> None:
    from rouge_score import rouge_scorer

    rows = [json.loads(line) for line in Path(args.data).read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = rows[args.offset: args.offset + args.limit]
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    scores = {"lead-3": [], "hushwrite": []}
    seconds, not_ok, words, ref_words, lead_words = [], 0, [], [], []
    out_sents = bad_sents = chatter = points = grounded = repaired = dropped = 0
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
        bad = [s for s in sentences(ours) if unsupported(s, row["document"])]
        out_sents += len(sentences(ours))
        bad_sents += len(bad)
        chatter += has_chatter(ours)
        points += len(r.points)
        grounded += sum(span_ok(p, row["document"]) for p in r.points)
        repaired += r.repaired
        dropped += r.dropped
        for name, hyp in (("lead-3", lead3(row["document"])), ("hushwrite", ours)):
            s = scorer.score(ref, "\n".join(sentences(hyp)))
            scores[name].append({k: v.fmeasure for k, v in s.items()})
        if out:
            out.write(json.dumps({"id": row["id"], "ok": r.ok, "seconds": round(seconds[-1], 2), "ours": ours, "unsupported": [unsupported(s, row["document"]) for s in bad],
                                  "points": [p.as_dict() for p in r.points], "scores": scores["hushwrite"][-1]}) + "\n")
            out.flush()  # a run stopped early can be scored on the documents it covered
        print(f"\r{i}/{len(rows)}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    print(f"documents: {len(rows)}; unusable outputs: {not_ok}; median seconds/doc: {statistics.median(seconds):.2f}; "
          f"median words: ours {statistics.median(words)}, lead-3 {statistics.median(lead_words)}, "
          f"reference {statistics.median(ref_words)}")
    print(f"unsupported sentences: {bad_sents}/{out_sents} = {100 * bad_sents / max(1, out_sents):.2f} %; "
          f"outputs with meta-chatter: {chatter}/{len(rows)}; points with a source span: {grounded}/{points}; "
          f"model lines repaired: {repaired}, dropped: {dropped}\n")
    print("| system | ROUGE-1 | ROUGE-2 | ROUGE-Lsum |\n|---|---|---|---|")
    for name, per_doc in scores.items():
        means = [100 * statistics.mean(d[k] for d in per_doc) for k in ("rouge1", "rouge2", "rougeLsum")]
        print(f"| {name} | " + " | ".join(f"{m:.2f}" for m in means) + " |")


def run_user_texts(args, model, summarize) -> None:
    rows = [json.loads(line) for line in USER_TEXTS.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = rows[: args.limit]
    out = open(args.out, "w", encoding="utf-8") if args.out else None
    for kind in ("summary", "key-points"):
        n_ok = numbers_ok = no_flip = chatter = points = grounded = 0
        kept, keep_total = 0, 0
        problems = []
        t = time.perf_counter()
        for i, row in enumerate(rows, 1):
            t0 = time.perf_counter()
            r = summarize(model, row["text"], kind)
            if out:
                out.write(json.dumps({"id": row["id"], "kind": kind, "ok": r.ok, "text": r.text,
                                      "points": [p.as_dict() for p in r.points]}, ensure_ascii=False) + "\n")
                out.flush()
            print(f"  {kind} {i}/{len(rows)} {row['id']} ok={int(r.ok)} {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
            ours = r.text if r.ok else ""
            n_ok += r.ok
            nums = re.findall(r"\d[\d,.:]*\d|\d", ours)
            missing = [n for n in nums if n not in row["text"]]
            numbers_ok += not missing
            flips = [p for p in row["polarity"] if flipped(p, ours, row["text"])]
            no_flip += not flips
            chatter += has_chatter(ours)
            points += len(r.points)
            grounded += sum(span_ok(p, row["text"]) for p in r.points)
            keep_total += len(row["must_keep"])
            kept += sum(k.lower() in ours.lower() for k in row["must_keep"])
            if missing or flips:
                problems.append((row["id"], missing, flips, ours))
        print(f"{kind}: {len(rows)} texts; usable {n_ok}; every output number in the input: {numbers_ok}/{len(rows)}; "
              f"no polarity flipped: {no_flip}/{len(rows)}; meta-chatter: {chatter}; points with a span: "
              f"{grounded}/{points}; must_keep items mentioned: {kept}/{keep_total}; {time.perf_counter() - t:.0f} s")
        for p in problems:
            print("   ", p)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(DEFAULT_DATA))
    ap.add_argument("--limit", type=int, default=200)
    ap.add_argument("--offset", type=int, default=0, help="skip this many documents (to split a run)")
    ap.add_argument("--kind", default="summary")
    ap.add_argument("--user-texts", action="store_true", help="the everyday texts instead of WikiLingua")
    ap.add_argument("--out", help="write per-document outputs and scores as JSON lines here")
    ap.add_argument("--threads", type=int, default=None, help="model threads (1 is faster on a crowded machine)")
    args = ap.parse_args()

    from engine.runtime import LoadOptions, load_model
    from engine.summarize import summarize

    model = load_model(None, LoadOptions(n_threads=args.threads))
    if args.user_texts:
        run_user_texts(args, model, summarize)
    else:
        run_wikilingua(args, model, summarize)
    return 0


if __name__ == "__main__":
    sys.exit(main())
