"""Smoke tests of the real frozen bundle (dist/hushwrite/), run with the network unavailable.

Build first: `packaging/build` (CI: .ci/run does it). These run the PyInstaller executable itself
in a clean environment (no PYTHONPATH, a private HOME and data dir, cwd outside the checkout), so
nothing can come from the source tree or the developer's Python.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest


pytestmark = pytest.mark.slow

SENTENCE = "Their going too the libary tomorow, becuase they needs a book."
LOADED_RE = re.compile(r"load_backend: loaded CPU backend from (\S+)")


def _engine_version() -> str:
    text = (Path(__file__).resolve().parents[2] / "engine" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'__version__\s*=\s*"([^"]+)"', text).group(1)


def _internal(bundle: Path) -> Path:
    return bundle / "_internal"


def test_version(run_bundle):
    r = run_bundle(["--version"], timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"hushwrite {_engine_version()}"
    assert "Traceback" not in r.stderr


def test_models_lists_the_bundled_default_model(bundle, run_bundle):
    r = run_bundle(["models", "--json"], timeout=60)
    assert r.returncode == 0, r.stderr
    models = json.loads(r.stdout)
    default = [m for m in models if m["source"] == "default"]
    assert len(default) == 1, models
    path = Path(default[0]["path"]).resolve()
    assert path.is_relative_to(bundle), f"default model not from the bundle: {path}"
    assert path.name == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert default[0]["architecture"] == "llama"


def test_cli_proofread_offline_with_bundled_model(run_bundle):
    r = run_bundle(["--no-store", "proofread", "--json", "--threads", "2"], stdin=SENTENCE)
    assert "Traceback" not in r.stderr, r.stderr
    assert "not found" not in r.stderr, r.stderr  # e.g. a data file PyInstaller did not collect
    assert r.returncode == 0, f"exit {r.returncode}: {r.stderr}"
    result = json.loads(r.stdout)
    assert result["ok"] is True, result
    fixed = result["text"].strip()
    assert fixed != SENTENCE and result["edits"], result
    # the misspellings a proofreader must catch; each one gone from the output
    for wrong, right in (("libary", "library"), ("tomorow", "tomorrow"), ("becuase", "because")):
        assert wrong not in fixed and right in fixed, fixed
    # the corrected text equals the original with its edits applied
    out = SENTENCE
    for e in sorted(result["edits"], key=lambda e: e["start"], reverse=True):
        assert out[e["start"]:e["end"]] == e["original"]
        out = out[:e["start"]] + e["replacement"] + out[e["end"]:]
    assert out == fixed


def test_frozen_proofread_equals_source_proofread(run_bundle, clean_env, tmp_path):
    """Same code, same llama.cpp build, greedy decoding: the bundle must give the same result as the
    source run in the build virtualenv. A data file PyInstaller missed (a word list a module falls
    back without) shows up here as a different answer."""
    root = Path(__file__).resolve().parents[2]
    venv_python = root / "packaging" / ".venv" / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    if not venv_python.exists():
        pytest.skip("no packaging/.venv to compare with (the bundle was built elsewhere)")
    text = "Me and him goes to the libary evry day, its realy quite."
    args = ["--no-store", "proofread", "--json", "--threads", "2"]
    frozen = run_bundle(args, stdin=text)
    source = subprocess.run([str(venv_python), "-m", "hushwrite", *args], input=text, capture_output=True,
                            text=True, env=dict(clean_env, PYTHONPATH=str(root)), cwd=tmp_path, timeout=180)
    assert frozen.returncode == source.returncode == 0, (frozen.stderr, source.stderr)
    f, s = json.loads(frozen.stdout), json.loads(source.stdout)
    assert f["text"] == s["text"]
    assert f["edits"] == s["edits"]


def test_bundle_picks_a_cpu_variant_at_run_time(bundle, run_bundle, clean_env):
    """GGML_BACKEND_DL: the engine loads the backends and ggml scores every bundled CPU variant."""
    lib = _internal(bundle) / "llama_cpp" / "lib"
    variants = sorted(p.name for p in lib.glob("*ggml-cpu-*"))
    assert len(variants) >= 2, f"not a portable build: {variants}"
    env = dict(clean_env, HUSHWRITE_DEBUG="1")
    r = run_bundle(["--no-store", "rewrite", "--json", "--threads", "2"], env=env,
                   stdin="Short test sentence for the loader.")
    assert r.returncode in (0, 4), r.stderr[-3000:]  # 4: the rewrite kept the original; the model ran
    assert "no backends are loaded" not in r.stderr
    loaded = LOADED_RE.findall(r.stderr)
    assert len(loaded) == 1, f"expected one CPU backend loaded, got {loaded}"
    chosen = Path(loaded[0])
    assert chosen.resolve().parent == lib.resolve(), f"backend loaded from outside the bundle: {chosen}"
    assert chosen.name in variants
    if sys.platform.startswith("linux"):
        flags = set(re.search(r"^flags\s*:(.*)$", Path("/proc/cpuinfo").read_text(), re.M).group(1).split())
        if "avx2" in flags:  # the generic variants must lose to a better one on an AVX2 machine
            assert chosen.name not in ("libggml-cpu-x64.so", "libggml-cpu-sse42.so"), chosen.name
        if "amx_tile" in flags:  # its AMX path dies with SIGILL: the engine picks a variant without it
            assert "sapphirerapids" not in chosen.name, chosen.name
    print(f"picked {chosen.name} out of {variants}")


def test_frozen_engine_process_crash_is_a_message_and_exit_3(run_bundle, clean_env):
    """The frozen app starts its engine process as itself (--engine-worker); a native crash there
    is reported in plain words by the CLI, exit 3, never a bare 132."""
    env = dict(clean_env, HUSHWRITE_ENGINE_TEST_HOOK="sigill")
    r = run_bundle(["--no-store", "rewrite", "--threads", "2"], env=env, stdin="The hotel was not great.")
    assert r.returncode == 3, f"exit {r.returncode}: {r.stderr}"
    assert "the model runtime crashed: illegal instruction (signal 4)" in r.stderr
    assert "Traceback" not in r.stderr


def test_gui_starts_offscreen_shows_window_and_quits(run_bundle, clean_env):
    """The desktop app: window shown (the app's startup probe), then a clean quit with exit 0."""
    env = dict(clean_env, QT_QPA_PLATFORM="offscreen", HUSHWRITE_STARTUP_PROBE="1")
    r = run_bundle(["--no-store"], env=env, timeout=120)
    assert "Traceback" not in r.stderr, r.stderr
    assert r.returncode == 0, f"exit {r.returncode}: {r.stderr}"
    lines = [json.loads(line) for line in r.stdout.splitlines() if line.startswith("{")]
    assert lines and "shown_at" in lines[-1], r.stdout
    assert lines[-1]["idle_rss_mb"] > 0


def test_bad_input_gives_a_message_not_a_traceback(run_bundle, tmp_path):
    r = run_bundle(["proofread", str(tmp_path / "missing.txt")], timeout=60)
    assert r.returncode == 2
    assert "file not found" in r.stderr and "Traceback" not in r.stderr


def test_documents_are_read_by_the_bundles_own_worker(run_bundle, tmp_path):
    """summarize reads in a child started as `hushwrite --document-worker`: a zip bomb is refused
    there by its central directory, and a real .docx without text gets python-docx's answer."""
    import zipfile

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine" / "documents"))
    import hostile

    hostile.docx_bomb(tmp_path / "bomb.docx")
    r = run_bundle(["--no-store", "summarize", str(tmp_path / "bomb.docx")], timeout=60)
    assert r.returncode == 2, r.stderr
    assert "bomb.docx expands to 1.5 GB when unpacked" in r.stderr and "Traceback" not in r.stderr
    with zipfile.ZipFile(tmp_path / "empty.docx", "w") as z:
        for name, data in hostile._template_parts():
            z.writestr(name, data.replace(b"A real document body.", b""))
    r = run_bundle(["--no-store", "summarize", str(tmp_path / "empty.docx")], timeout=60)
    assert r.returncode == 2 and "empty.docx is empty" in r.stderr, r.stderr


# -- contents of the bundle ---------------------------------------------------------------------
ALLOWED_PLUGIN_TYPES = {
    "platforms", "platforminputcontexts", "imageformats", "iconengines", "styles", "xcbglintegrations",
    "wayland-shell-integration", "wayland-decoration-client", "wayland-graphics-integration-client",
}


def test_bundle_ships_only_the_needed_qt_plugins(bundle):
    plugins = [p for p in _internal(bundle).rglob("*") if p.is_file() and "plugins" in p.parts and "PySide6" in p.parts]
    kinds = {p.parent.name for p in plugins}
    assert kinds <= ALLOWED_PLUGIN_TYPES, kinds - ALLOWED_PLUGIN_TYPES
    names = {p.name for p in plugins}
    if sys.platform.startswith("linux"):
        for needed in ("libqoffscreen.so", "libqxcb.so", "libqwayland.so", "libqsvg.so", "libqico.so"):
            assert needed in names, f"{needed} missing"
        assert not any("tls" in k or "network" in k for k in kinds)  # no network plugins at all
        assert not (_internal(bundle) / "PySide6" / "Qt" / "lib" / "libQt6WebEngineCore.so.6").exists()


def test_bundle_has_llama_libraries_model_and_assets(bundle):
    internal = _internal(bundle)
    lib = internal / "llama_cpp" / "lib"
    if sys.platform.startswith("linux"):
        for name in ("libllama.so", "libggml.so", "libggml-base.so.0"):
            assert (lib / name).is_file(), name
    info = json.loads((bundle / "build-info.json").read_text())
    model = internal / "models" / "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert model.is_file() == info["model"]
    if info["model"]:
        assert model.read_bytes()[:4] == b"GGUF"
    for name in ("hushwrite-256.png", "hushwrite-32.png", "hushwrite.ico", "hushwrite.icns", "hushwrite.desktop"):
        assert (internal / "assets" / name).is_file(), name


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ldd is Linux-only")
def test_every_bundled_library_resolves_its_dependencies(bundle):
    """Catches libraries dropped by the spec's plugin pruning that something still needs."""
    missing = {}
    for path in _internal(bundle).rglob("*.so*"):
        if not path.is_file() or path.is_symlink():
            continue
        out = subprocess.run(["ldd", str(path)], capture_output=True, text=True,
                             env={"LD_LIBRARY_PATH": str(_internal(bundle))})
        gone = [line.split()[0] for line in out.stdout.splitlines() if "not found" in line]
        if gone:
            missing[str(path.relative_to(bundle))] = gone
    assert not missing, missing
