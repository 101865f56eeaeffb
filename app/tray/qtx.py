"""Qt names the tray needs, taken from the app's binding seam (app/qt.py) when it has them.

app/qt.py is the one place that names the binding; the few classes it does not (yet) export
are imported here from the same binding, so switching bindings still means editing two
small import lists, both next to each other in spirit.
"""

from __future__ import annotations

from app import qt as _seam
from app.qt import (  # noqa: F401
    QAction,
    QApplication,
    QByteArray,
    QElapsedTimer,
    QGridLayout,
    QGuiApplication,
    QHBoxLayout,
    QIcon,
    QKeySequence,
    QLabel,
    QLineEdit,
    QMenu,
    QMimeData,
    QObject,
    QPoint,
    QPushButton,
    QTextBrowser,
    QTimer,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)


def _pick(name: str, module: str):
    value = getattr(_seam, name, None)
    if value is None:
        value = getattr(__import__(f"PySide6.{module}", fromlist=[name]), name)
    return value


QClipboard = _pick("QClipboard", "QtGui")
QCursor = _pick("QCursor", "QtGui")
QPixmap = _pick("QPixmap", "QtGui")
QPainter = _pick("QPainter", "QtGui")
QColor = _pick("QColor", "QtGui")
QSocketNotifier = _pick("QSocketNotifier", "QtCore")
QSystemTrayIcon = _pick("QSystemTrayIcon", "QtWidgets")
QLocalServer = _pick("QLocalServer", "QtNetwork")
QLocalSocket = _pick("QLocalSocket", "QtNetwork")
