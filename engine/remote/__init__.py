"""The opt-in remote engine: model calls to a server the user runs and names (llama-server,
Ollama, vLLM). Only the model calls leave the machine; prompts, guards, checks and the store stay.

Importing this package (or .config) loads no network code: `connect`, `measure` and
`RemoteModel` are imported on first use, which happens only when an engine URL is configured."""

__all__ = ["RemoteModel", "connect", "measure"]


def __getattr__(name: str):
    if name in ("connect", "measure"):
        from . import probe

        return getattr(probe, name)
    if name == "RemoteModel":
        from .model import RemoteModel

        return RemoteModel
    raise AttributeError(name)
