"""Hushwrite desktop app (PySide6). Never imports llama_cpp; talks to the engine from worker threads."""
