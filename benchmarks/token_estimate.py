"""Why Hushwrite counts tokens with the model's own GGUF tokenizer and not sentencepiece.

Prints, on a long real text: the tokenizer type stored in each GGUF, the time to load only the
vocabulary (no weights) with llama.cpp, its exact count, and the error of a characters/4 guess.
sentencepiece can only load its own `.model` protobuf files; GGUF files carry the vocabulary in
their own format, and the default model's tokenizer is byte-level BPE (GGUF `gpt2`), which
sentencepiece does not implement at all.

    python benchmarks/token_estimate.py [--model PATH] [--text FILE]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import llama_cpp.llama_cpp as ll  # noqa: E402

from engine.gguf import read_gguf  # noqa: E402
from engine.model_files import default_model_path  # noqa: E402
from engine.runtime import ensure_backend  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "eval" / "long" / "sotu-2016.txt"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model")
    ap.add_argument("--text", default=str(SHARED))
    a = ap.parse_args()
    path = Path(a.model) if a.model else default_model_path()
    text = Path(a.text).read_text(encoding="utf-8", errors="replace")
    info = read_gguf(path)
    print(f"model: {path.name}; GGUF tokenizer type: {info.metadata.get('tokenizer.ggml.model')!r}")
    ensure_backend()
    loads, counts = [], []
    for _ in range(5):
        t0 = time.perf_counter()
        params = ll.llama_model_default_params()
        params.vocab_only = True
        m = ll.llama_model_load_from_file(str(path).encode(), params)
        vocab = ll.llama_model_get_vocab(m)
        t1 = time.perf_counter()
        data = text.encode()
        buf = (ll.llama_token * (len(data) + 8))()
        n = ll.llama_tokenize(vocab, data, len(data), buf, len(data) + 8, False, False)
        t2 = time.perf_counter()
        ll.llama_model_free(m)
        loads.append(t1 - t0)
        counts.append(t2 - t1)
    guess = len(text) / 4
    print(f"text: {len(text.split())} words, {len(text)} characters")
    print(f"vocabulary-only load (no weights): median {statistics.median(loads) * 1000:.1f} ms")
    print(f"exact count: {n} tokens in {statistics.median(counts) * 1000:.1f} ms")
    print(f"characters/4 guess: {guess:.0f} tokens ({(guess - n) / n * 100:+.1f} % off)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
