"""GGUF header reading and every bad-model case, on the real default model and files made from it."""

from __future__ import annotations


import pytest

from engine.errors import ModelError
from engine.gguf import read_gguf


def test_reads_default_model_metadata_without_loading(default_model_path):
    info = read_gguf(default_model_path)
    assert info.architecture == "llama"
    assert info.quantization == "Q4_1"
    assert 130e6 < info.n_params < 140e6  # SmolLM2-135M
    assert info.context_length == 8192
    assert info.file_size == default_model_path.stat().st_size
    assert "<|im_start|>" in info.chat_template
    assert not info.truncated
    # estimate: weights + KV cache for 4k context, within sane bounds of the file size
    est = info.estimate_memory(4096)
    assert info.file_size < est < info.file_size + 400 * 1024 * 1024
    assert info.estimate_memory(8192) > est  # KV cache grows with context


def test_missing_file(tmp_path):
    with pytest.raises(ModelError, match="not found"):
        read_gguf(tmp_path / "nope.gguf")


def test_not_a_gguf(tmp_path):
    p = tmp_path / "notes.gguf"
    p.write_text("this is a text file, not a model\n" * 10)
    with pytest.raises(ModelError, match="not a GGUF model"):
        read_gguf(p)


def test_truncated_download(tmp_path, default_model_path):
    p = tmp_path / "cut.gguf"
    with default_model_path.open("rb") as src, p.open("wb") as dst:
        dst.write(src.read(default_model_path.stat().st_size // 2))
    with pytest.raises(ModelError, match="truncated"):
        read_gguf(p)


def test_cut_inside_header(tmp_path, default_model_path):
    p = tmp_path / "cut.gguf"
    p.write_bytes(default_model_path.read_bytes()[:5000])
    with pytest.raises(ModelError, match="truncated or corrupt"):
        read_gguf(p)


def test_corrupt_header_lengths(tmp_path, default_model_path):
    data = bytearray(default_model_path.read_bytes()[:64])
    data[16:24] = (2**40).to_bytes(8, "little")  # absurd metadata count
    p = tmp_path / "corrupt.gguf"
    p.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="corrupt"):
        read_gguf(p)


def test_folder_is_not_a_model(tmp_path):
    with pytest.raises(ModelError, match="folder"):
        read_gguf(tmp_path)


def test_summary_fields(default_model_path):
    s = read_gguf(default_model_path).summary()
    for key in ("architecture", "parameters", "quantization", "file_size", "context_length", "estimated_memory_4k"):
        assert key in s
    assert s["parameters_human"].endswith("M")
