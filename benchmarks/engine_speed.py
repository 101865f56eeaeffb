"""Engine speed vs a raw llama.cpp decode loop, and vs llama.cpp's own llama-bench, in one run.

Prints prompt and decode tokens/s for (a) a minimal loop on llama-cpp-python's low-level API
(tokenize, llama_decode, greedy sampler: nothing else) and (b) Hushwrite's runtime streaming
text, their ratios, the time to first token for rewriting a 120-word paragraph, and the
first-vs-repeat TTFT with the prefix cache. Medians over --reps runs, alternating a and b.

With --reference, an independent reference too: llama-bench (found or built once from the
vendored llama.cpp, see benchmarks/llama_bench.py) measures pp512 and tg64 at depths 0/512/1024
with flash attention on and off, and the engine is measured at the same depths with its
calibrated choice (engine.calibrate; measured first if none is cached); ratios are engine /
the faster llama-bench setting. The engine's decode rate at a 1,500-token depth (a summary
chunk) is printed with the built-in default (flash attention on) and with the calibrated choice.

    python benchmarks/engine_speed.py [--model PATH] [--threads N] [--reps 5] [--reference [--only-reference]]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import llama_cpp.llama_cpp as ll  # noqa: E402

from engine.model import GenerationStats  # noqa: E402
from engine.runtime import LoadOptions, load_model  # noqa: E402
from engine.tasks.rewrite import build_messages  # noqa: E402

PARAGRAPH = (
    "Our team spent the last quarter rebuilding the onboarding flow for new customers. We interviewed "
    "twenty users, found that most of them gave up at the payment step, and rewrote that page so it asks "
    "for less information up front. Early numbers look good: sign-ups that reach the first project rose "
    "from forty to fifty-eight percent, and support tickets about billing fell by a third. There is still "
    "work to do on the mobile layout, which several people described as cramped, and on the emails we "
    "send in the first week, which nobody seems to read. We plan to test shorter emails next month and "
    "will share the results at the next review."
)


def raw_loop(model, prompt: list[int], n_out: int) -> tuple[float, float]:
    """Prompt and decode seconds of the plainest possible low-level loop on the same context."""
    ctx, mem = model._ctx, ll.llama_get_memory(model._ctx)
    ll.llama_memory_clear(mem, True)
    model._cached = []
    batch = ll.llama_batch_init(512, 0, 1)
    smpl = ll.llama_sampler_chain_init(ll.llama_sampler_chain_default_params())
    ll.llama_sampler_chain_add(smpl, ll.llama_sampler_init_greedy())
    t0 = time.perf_counter()
    for start in range(0, len(prompt), 512):
        part = prompt[start : start + 512]
        batch.n_tokens = len(part)
        for i, tok in enumerate(part):
            batch.token[i], batch.pos[i], batch.n_seq_id[i] = tok, start + i, 1
            batch.seq_id[i][0] = 0
            batch.logits[i] = 1 if start + i == len(prompt) - 1 else 0
        assert ll.llama_decode(ctx, batch) == 0
    t1 = time.perf_counter()
    pos, idx = len(prompt), len(prompt) - 1 - (len(prompt) - 1) // 512 * 512
    for _ in range(n_out):
        tok = ll.llama_sampler_sample(smpl, ctx, idx)
        batch.n_tokens = 1
        batch.token[0], batch.pos[0], batch.n_seq_id[0], batch.logits[0] = tok, pos, 1, 1
        batch.seq_id[0][0] = 0
        assert ll.llama_decode(ctx, batch) == 0
        pos, idx = pos + 1, 0
    t2 = time.perf_counter()
    ll.llama_sampler_free(smpl)
    ll.llama_batch_free(batch)
    ll.llama_memory_clear(mem, True)
    return t1 - t0, t2 - t1


def engine_run(model, prompt: list[int], n_out: int) -> GenerationStats:
    model._reset_cache()
    stats = GenerationStats()
    # a forced length: ignore end-of-generation so both loops decode exactly n_out tokens
    for _ in model.stream_tokens(prompt, n_out, stats=stats):
        pass
    return stats


def story_tokens(model, n: int) -> list[int]:
    """A prompt of exactly n tokens the model does not end early: continue a long story."""
    seed = model.prompt_tokens([{"role": "user", "content": "Tell a long story. " + PARAGRAPH * (8 + n // 100)}])
    return seed[:n]


def engine_at_depth(model, depth: int, n_prompt: int, n_gen: int) -> tuple[float, float]:
    """(prompt tokens/s for n_prompt tokens after `depth` cached ones, decode tokens/s for n_gen
    tokens after `depth` ones), as llama-bench's pp/tg at that depth (`engine_decode_at`, then
    `engine_prompt_after`)."""
    decode_tps, prompt = engine_decode_at(model, depth, n_prompt, n_gen)
    return engine_prompt_after(model, prompt), decode_tps


def engine_decode_at(model, depth: int, n_prompt: int, n_gen: int) -> tuple[float, list[int]]:
    """Decode tokens/s for n_gen tokens after `depth` ones, and the prompt `engine_prompt_after`
    reads next: one fill of `depth` tokens serves both, the prompt reusing the cached `depth`
    tokens. It starts as a new text after a pause: an empty cache, trimmed as the engine process
    trims it when idle (runtime/kv_size.py); a growth of the cache the prompt then needs is in its
    time."""
    prompt = story_tokens(model, depth + n_prompt)
    model._reset_cache()
    model.trim_kv()
    tg = GenerationStats()
    for _ in model.stream_tokens(prompt[: max(depth, 1)], n_gen, stats=tg):
        pass
    return tg.decode_tps, prompt


def engine_prompt_after(model, prompt: list[int]) -> float:
    """Prompt tokens/s for what `prompt` adds to the cached prefix `engine_decode_at` left."""
    pp = GenerationStats()
    for _ in model.stream_tokens(prompt, 1, stats=pp):
        pass
    return pp.prompt_tps


def best_of(bench: list[dict], test: str, depth: int) -> float:
    """The faster llama-bench setting's tokens/s in one round."""
    import llama_bench

    return max(llama_bench.rate(bench, test, depth, False), llama_bench.rate(bench, test, depth, True))


def spread(values: list[float]) -> str:
    """'median (lower quartile-upper quartile)' of ratios."""
    if len(values) < 2:
        return f"{values[0]:.3f}" if values else "-"
    q = statistics.quantiles(values, n=4, method="inclusive")
    return f"{statistics.median(values):.3f} ({q[0]:.2f}-{q[2]:.2f})"


def paired_at_depth(model, binary, path, depth: int, into: list, engine_first: bool) -> list[dict]:
    """One round at `depth`: llama-bench's tg64 (both attention settings) and the engine's decode
    back to back, then llama-bench's pp512 and the engine's prompt; which of each pair runs first
    alternates by round, so neither always meets the host after the other (it drifts by the
    minute). Appends (prompt, decode) tokens/s to `into`; returns llama-bench's results."""
    import llama_bench

    def bench(n_prompt: int, n_gen: int) -> list[dict]:
        return llama_bench.run(binary, path, model.n_threads, [depth], 1, n_prompt=n_prompt, n_gen=n_gen)

    if engine_first:
        decode_tps, prompt = engine_decode_at(model, depth, 512, 64)
        rows = bench(0, 64)
        prompt_tps = engine_prompt_after(model, prompt)
        rows += bench(512, 0)
    else:
        rows = bench(0, 64)
        decode_tps, prompt = engine_decode_at(model, depth, 512, 64)
        rows += bench(512, 0)
        prompt_tps = engine_prompt_after(model, prompt)
    into.append((prompt_tps, decode_tps))
    return rows


def reference(a) -> None:
    import llama_bench

    from engine.model_files import default_model_path

    depths = [int(d) for d in a.depths.split(",")]
    model = load_model(a.model, LoadOptions(n_threads=a.threads, n_ctx=4096))
    report = model.calibration_report()
    if report.get("measured") is None:
        print("no calibration cached for this model + build + CPU: measuring it first...")
        report = model.calibrate(budget_seconds=a.calibration_budget)
    choice = report["measured"]["choice"]
    print(f"engine: calibrated choice {choice} (in use: {report['in_use']})")
    med = statistics.median
    # the engine bound of a summary chunk: decode at 1,500 tokens, default vs calibrated
    rows = []
    for fa, label in ((True, "built-in default (flash attention on)"), (choice["flash_attn"], "calibrated choice")):
        m = model if fa == model.flash_attn else load_model(a.model, LoadOptions(n_threads=a.threads, n_ctx=4096, flash_attn=fa))
        rows.append((label, fa, med(engine_at_depth(m, 1500, 8, 64)[1] for _ in range(a.reps))))
        if m is not model:
            m.close()
    print("\nengine decode tokens/s at a 1,500-token depth (a summary chunk):")
    for label, fa, tps in rows:
        print(f"  {label:40} flash attention {'on' if fa else 'off'}  {tps:6.1f}")
    print(f"  ratio calibrated / default {rows[1][2] / rows[0][2]:.2f}", flush=True)
    if a.no_llama_bench:
        model.close()
        return
    binary = llama_bench.find() if a.no_build else llama_bench.find_or_build()
    if binary is None:
        print("\nllama-bench: not found (and --no-build); skipped")
        model.close()
        return
    path = Path(a.model) if a.model else default_model_path()
    print(f"\nllama-bench: {binary}\n  -t {model.n_threads} -p 512 -n 0 and -p 0 -n 64 -d each of {a.depths} -fa 0,1 --repack 0 -r 1, "
          f"{a.reps} rounds; in each, at every depth, llama-bench's tg64 and the engine's decode run back to back, "
          "then llama-bench's pp512 and the engine's prompt, which one first alternating by round (the machine's "
          "drift hits both alike)")
    bench_rounds, eng = [], {d: [] for d in depths}
    for r in range(a.reps):
        rows: list = []
        for d in depths:
            rows += paired_at_depth(model, binary, path, d, eng[d], engine_first=bool(r % 2))
        bench_rounds.append(rows)
    def fa_used(test: str, depth: int) -> bool:
        """The attention setting the engine ran this cell with: a 512-token prompt is read with the
        prompt setting (runtime/split_prefill.py), and a request under the calibrated size runs
        wholly with the other setting."""
        if test == "pp":
            return bool(model.prefill_attention)
        short = model.short_requests_below
        return (not model.flash_attn) if short and max(depth, 1) + 64 < short else bool(model.flash_attn)

    print(f"\nengine: decodes with flash attention {'on' if model.flash_attn else 'off'}, reads long prompts with it "
          f"{'on' if model.prefill_attention else 'off'}; requests under {model.short_requests_below or 'no'} tokens "
          f"run with it {'off' if model.flash_attn else 'on'}")
    print(f"\n{'tokens/s (medians)':20}{'bench FA off':>14}{'bench FA on':>13}{'engine':>10}{'engine/best':>13}"
          f"{'engine/same FA':>16}{'paired engine/best (IQR)':>28}")
    for test, idx, label in (("pp", 0, "pp512"), ("tg", 1, "tg64")):
        for d in depths:
            off = med(llama_bench.rate(b, test, d, False) for b in bench_rounds)
            on = med(llama_bench.rate(b, test, d, True) for b in bench_rounds)
            e = med(x[idx] for x in eng[d])
            best, same = max(off, on), (on if fa_used(test, d) else off)
            bests = [best_of(b, test, d) for b in bench_rounds]
            paired = [x[idx] / b for x, b in zip(eng[d], bests) if b]
            print(f"{label + ' @ d' + str(d):20}{off:14.1f}{on:13.1f}{e:10.1f}{(e / best if best else float('nan')):13.3f}"
                  f"{(e / same if same else float('nan')):16.3f}{spread(paired):>28}")
    print("(paired: each round's engine figure over that round's faster llama-bench setting, measured back to "
          "back; their median and quartiles)")
    print(f"\nthe engine's KV cache grew {model.grows} times in these rounds "
          f"({model.grow_seconds * 1000 / max(1, model.grows):.0f} ms each, in the requests' prompt time) and was "
          f"trimmed {model.resizes - model.grows} times between them (runtime/kv_size.py)")
    model.close()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model")
    ap.add_argument("--threads", type=int)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--prompt-tokens", type=int, default=512)
    ap.add_argument("--out-tokens", type=int, default=128)
    ap.add_argument("--reference", action="store_true", help="also compare with llama-bench at several depths")
    ap.add_argument("--only-reference", action="store_true", help="only the llama-bench comparison")
    ap.add_argument("--depths", default="0,512,1024")
    ap.add_argument("--no-llama-bench", action="store_true", help="only the engine's calibrated figures")
    ap.add_argument("--no-build", action="store_true", help="use llama-bench only if already built")
    ap.add_argument("--calibration-budget", type=float, default=6.0,
                    help="seconds for the calibration when none is cached (raise it on a busy machine)")
    a = ap.parse_args()
    if a.reference or a.only_reference:
        reference(a)
        if a.only_reference:
            return 0
    model = load_model(a.model, LoadOptions(n_threads=a.threads, n_ctx=4096))
    print(f"model: {model.name} ({model.path.name}), threads: {model.n_threads}, "
          f"flash attention {'on' if model.flash_attn else 'off'}, GPU layers: {model.n_gpu_layers}")

    # A prompt the model does not end early: continue a long story.
    seed = model.prompt_tokens([{"role": "user", "content": "Tell a long story. " + PARAGRAPH * 8}])
    prompt = seed[: a.prompt_tokens]
    raw_p, raw_d, eng_p, eng_d, eng_n = [], [], [], [], []
    for _ in range(a.reps):
        p_s, d_s = raw_loop(model, prompt, a.out_tokens)
        raw_p.append(len(prompt) / p_s)
        raw_d.append(a.out_tokens / d_s)
        st = engine_run(model, prompt, a.out_tokens)
        eng_p.append(st.prompt_tps)
        eng_d.append(st.decode_tps)
        eng_n.append(st.output_tokens)
    med = statistics.median
    print(f"\n{'':24}{'raw loop':>12}{'engine':>12}{'ratio':>8}")
    print(f"{'prompt tokens/s':24}{med(raw_p):12.1f}{med(eng_p):12.1f}{med(eng_p) / med(raw_p):8.3f}")
    print(f"{'decode tokens/s':24}{med(raw_d):12.1f}{med(eng_d):12.1f}{med(eng_d) / med(raw_d):8.3f}")
    if min(eng_n) < a.out_tokens:
        print(f"(note: the engine stopped early at {min(eng_n)} tokens in some runs; decode rate uses actual counts)")

    # Time to first token for a 120-word rewrite: cold, then the same text in another tone.
    words = len(PARAGRAPH.split())
    cold, repeat, other = [], [], []
    for _ in range(a.reps):
        model._reset_cache()
        s1, s2, s3 = GenerationStats(), GenerationStats(), GenerationStats()
        for _ in model.stream(build_messages(PARAGRAPH, "rewrite"), max_tokens=1, stats=s1):
            pass
        for _ in model.stream(build_messages(PARAGRAPH, "friendly"), max_tokens=1, stats=s2):
            pass
        # same template, a different text: only the system prompt is reused
        for _ in model.stream(build_messages(PARAGRAPH.replace("Our team", "The group"), "rewrite"), max_tokens=1, stats=s3):
            pass
        cold.append(s1.first_token_seconds)
        repeat.append(s2.first_token_seconds)
        other.append(s3.first_token_seconds)
    print(f"\nTTFT, rewrite of a {words}-word paragraph ({s1.prompt_tokens} prompt tokens):")
    print(f"  first request (cold cache)             {med(cold) * 1000:7.1f} ms")
    print(f"  same text, another tone (prefix cache) {med(repeat) * 1000:7.1f} ms   ratio {med(repeat) / med(cold):.2f} (reused {s2.cached_tokens} tokens)")
    print(f"  another text, same tone                {med(other) * 1000:7.1f} ms   ratio {med(other) / med(cold):.2f} (reused {s3.cached_tokens} tokens)")
    model.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
