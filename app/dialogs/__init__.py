"""Dialogs of the main window: settings, history, dictionary, style profile, store unlock."""
