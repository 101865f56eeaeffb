"""Light and dark palettes that follow the system colour scheme (Qt 6.5+ style hints)."""

from __future__ import annotations

from .qt import QApplication, QColor, QGuiApplication, QPalette, QStyleFactory, Qt

LIGHT = {
    "window": "#f5f5f7", "base": "#ffffff", "alt": "#eef0f3", "text": "#1d1d1f", "button": "#e9e9ed",
    "highlight": "#2f6fde", "highlight_text": "#ffffff", "muted": "#6e6e73",
    "removed": "#c0392b", "removed_bg": "#fde8e6", "inserted": "#1e7d32", "inserted_bg": "#e3f5e5",
    "banner": "#fff4d6", "banner_text": "#5c4400", "error": "#fde8e6", "error_text": "#8a1f11",
}
DARK = {
    "window": "#1e1f22", "base": "#26282c", "alt": "#2d3035", "text": "#e8e8ea", "button": "#33363b",
    "highlight": "#4f8cf0", "highlight_text": "#ffffff", "muted": "#a0a0a8",
    "removed": "#ff8a80", "removed_bg": "#4a2220", "inserted": "#8fe39a", "inserted_bg": "#1f3d24",
    "banner": "#3d3317", "banner_text": "#ffe8a3", "error": "#4a2220", "error_text": "#ffc9c2",
}


def system_is_dark(scheme=None, platform_palette: QPalette | None = None) -> bool:
    """The system's choice: the colour scheme Qt reports, else the platform palette's lightness."""
    if scheme is None:
        hints = QGuiApplication.styleHints()
        scheme = hints.colorScheme() if hasattr(hints, "colorScheme") else Qt.ColorScheme.Unknown
    if scheme == Qt.ColorScheme.Dark:
        return True
    if scheme == Qt.ColorScheme.Light:
        return False
    pal = platform_palette or QGuiApplication.palette()
    return pal.color(QPalette.ColorRole.Window).lightness() < 128


class Theme:
    """Applies the palette for `mode` ("system", "light", "dark") and re-applies on system changes."""

    def __init__(self, app: QApplication, mode: str = "system"):
        self.app = app
        self.mode = mode
        self.dark = False
        self.platform_palette = QPalette(app.palette())  # before ours replaces it
        app.setStyle(QStyleFactory.create("Fusion"))
        hints = QGuiApplication.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            hints.colorSchemeChanged.connect(self.apply)
        self.listeners: list = []
        self.apply()

    @property
    def colors(self) -> dict[str, str]:
        return DARK if self.dark else LIGHT

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.apply()

    def apply(self, scheme=None) -> None:
        """Set the palette; `scheme` is what the system just switched to (colorSchemeChanged)."""
        if self.mode == "system":
            self.dark = system_is_dark(scheme, self.platform_palette)
        else:
            self.dark = self.mode == "dark"
        self.app.setPalette(palette(self.colors))
        for listener in self.listeners:
            listener()


def palette(c: dict[str, str]) -> QPalette:
    p = QPalette()
    role = QPalette.ColorRole
    for r, key in [
        (role.Window, "window"), (role.Base, "base"), (role.AlternateBase, "alt"), (role.Text, "text"),
        (role.WindowText, "text"), (role.Button, "button"), (role.ButtonText, "text"),
        (role.Highlight, "highlight"), (role.HighlightedText, "highlight_text"), (role.ToolTipBase, "base"),
        (role.ToolTipText, "text"), (role.PlaceholderText, "muted"), (role.Link, "highlight"),
    ]:
        p.setColor(r, QColor(c[key]))
    for r in (role.Text, role.WindowText, role.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, r, QColor(c["muted"]))
    return p


_current: Theme | None = None


def install(app: QApplication, mode: str = "system") -> Theme:
    global _current
    _current = Theme(app, mode)
    return _current


def colors() -> dict[str, str]:
    """The active palette's colours (light before install, e.g. in widget tests)."""
    return _current.colors if _current else LIGHT
