"""The tool commands, generated from the tool registry (engine/tools): one subcommand per task
(`proofread`, `rewrite --tone`, `summarize --kind`, with the registry's tones and kinds as
choices) and `run TOOL`, which runs any tool by name — the user's own too. Each command only maps
its arguments onto a tool; the tool runs through the same registry call as in the window and the
tray."""

from __future__ import annotations

import argparse
import json
import sys
import threading

from engine.errors import InputError
from engine.tasks.base import exit_status

from .inputs import read_text
from .loading import UNOPENED, ModelLoader, add_model_options, open_store_for, record


def register(sub, reg) -> None:
    for task in reg.tasks():
        p = sub.add_parser(task.name, help=task.help)
        p.add_argument("file", nargs="?", default="-", help="text file, or - for stdin (default)")
        p.add_argument("--json", action="store_true", help="print the result with its details and timings as JSON")
        _TASK_OPTIONS[task.name](p, reg)
        add_model_options(p)
        p.set_defaults(func=lambda args, task=task.name: _task_command(args, task))
    r = sub.add_parser("run", help='run any tool by its name, your own too: hushwrite run "Weekly report" notes.txt')
    r.add_argument("tool", help="a tool's name: " + ", ".join(f'"{t.name}"' for t in reg.tools()) + ", or one of yours")
    r.add_argument("file", nargs="?", default="-", help="text file or document, or - for stdin (default)")
    r.add_argument("--json", action="store_true")
    r.add_argument("--instruction", default="", help="for Custom instruction: what to do with the text")
    r.add_argument("--diff", action="store_true", help="proofreading: print an inline diff")
    r.add_argument("--dictionary", action="append", default=[], metavar="WORD", help=argparse.SUPPRESS)
    r.add_argument("--thorough", action="store_true", help=argparse.SUPPRESS)
    r.add_argument("--sources", action="store_true", help="summaries: where each point comes from")
    r.add_argument("--no-progress", action="store_true", help="summaries: no progress bar on stderr")
    add_model_options(r)
    r.set_defaults(func=_run_command)


def _proofread_options(p, reg) -> None:
    p.add_argument("--diff", action="store_true", help="print an inline diff: [-removed-]{+inserted+}")
    p.add_argument("--dictionary", action="append", default=[], metavar="WORD", help="a word never to change (repeatable)")
    p.add_argument("--thorough", action="store_true", help="also apply optional fixes in sentences with no evident mistake")


def _rewrite_options(p, reg) -> None:
    p.add_argument("--tone", default="rewrite", choices=reg.variants("rewrite"))
    p.add_argument("--instruction", default="", help="what to do with the text (implies --tone custom)")


def _summarize_options(p, reg) -> None:
    p.add_argument("--kind", default="summary", choices=reg.variants("summarize"))
    p.add_argument("--sources", action="store_true", help="after the summary, where each point comes from (lines or pages)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")


_TASK_OPTIONS = {"proofread": _proofread_options, "rewrite": _rewrite_options, "summarize": _summarize_options}


def _task_command(args, task: str) -> int:
    from engine.tools import registry

    reg = registry()
    variant = {"rewrite": "custom" if getattr(args, "instruction", "") else getattr(args, "tone", ""),
               "summarize": getattr(args, "kind", "")}.get(task, "")
    tool = next(t for t in reg.tools(task, source="built-in") if t.variant == variant or not variant)
    return execute(args, reg, tool)


def _run_command(args) -> int:
    from engine.tools import registry

    reg = registry()
    try:
        tool = reg.find(args.tool)
    except InputError:  # perhaps one of the user's own: they are in the store
        store = open_store_for(args)
        if store is None:
            raise
        reg = registry(store)
        for problem in reg.problems:
            print(f"hushwrite: note: {problem}", file=sys.stderr)
        try:
            tool = reg.find(args.tool)
        except InputError:
            store.close()
            raise
        return execute(args, reg, tool, store)
    return execute(args, reg, tool)


def execute(args, reg, tool, store=UNOPENED) -> int:
    if tool.asks and not getattr(args, "instruction", "").strip():
        raise InputError(f'{tool.name} needs an instruction: --instruction "..."')
    if tool.task == "summarize":
        from .summarize import summarize_command

        return summarize_command(args, reg, tool, store)
    return _text_command(args, reg, tool, store)


def context_params(task, store, args) -> dict:
    """The personal context a task declares (Task.context), from the store and the command line."""
    params: dict = {}
    if "dictionary" in task.context:
        params["dictionary"] = list(getattr(args, "dictionary", [])) + (store.dictionary_words() if store else [])
    if "style" in task.context and store is not None:
        params["style"] = store.style_profile().get("text", "")
    return params


def _text_command(args, reg, tool, store) -> int:
    """Proofread or rewrite: the text is read here, the model loads while the store opens."""
    from engine.tools import Hooks

    task = reg.task(tool.task)
    if task.name == "proofread":
        from engine.proofread.spelling import speller

        threading.Thread(target=speller, daemon=True).start()  # the spelling index loads while the model does
    text = read_text(args.file, tool.task)
    loader = ModelLoader(args)
    if store is UNOPENED:
        store = open_store_for(args)
    params = context_params(task, store, args)
    params.update(instruction=getattr(args, "instruction", ""), mode="thorough" if getattr(args, "thorough", False) else "careful")
    model = loader()
    diff = task.name == "proofread" and getattr(args, "diff", False)
    streaming = task.name in ("rewrite", "proofread") and not args.json and not diff and sys.stdout.isatty()
    on_text, state = _stream_printer(streaming)
    result = reg.run(model, tool, text, params, Hooks(on_text=on_text))
    record(store, result)
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    elif diff:
        from engine.proofread.diff import inline_diff

        print(inline_diff(text, result.edits, color=sys.stdout.isatty()))
    elif state["text"]:
        if not state["text"].endswith("\n"):
            sys.stdout.write("\n")
        if state["text"].strip() != result.text.strip():  # what streamed is not the final text
            print("--- result ---", file=sys.stderr)
            print(result.text)
    else:
        sys.stdout.write(result.text if result.text.endswith("\n") else result.text + "\n")
    if not args.json and result.ok:  # which paragraphs were kept as written, and why
        for part in result.parts:
            if part["status"] == "kept":
                print(f"hushwrite: paragraph {part['paragraph'] + 1} kept as written: {part['reason']}", file=sys.stderr)
    return exit_status(result)


def _stream_printer(enabled: bool):
    state = {"text": ""}  # what has been printed

    def on_text(raw: str) -> None:
        if not enabled:
            return
        new = raw[len(state["text"]):]
        if new:
            sys.stdout.write(new)
            sys.stdout.flush()
            state["text"] = raw

    return on_text, state
