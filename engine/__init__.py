"""Hushwrite engine: model runtime, tasks, documents, store and CLI. No Qt here."""

__version__ = "0.1.0"
