"""The one place that names the Qt binding: every app module imports Qt from here.

Swapping PySide6 for another binding (or a newer major version) means changing this file only.
"""

from __future__ import annotations

import sys

import PySide6
from PySide6.QtCore import (  # noqa: F401
    QByteArray,
    QEvent,
    QElapsedTimer,
    QMimeData,
    QObject,
    QPoint,
    QRect,
    QRunnable,
    QSettings,
    QSize,
    QStandardPaths,
    Qt,
    QThread,
    QThreadPool,
    QTimer,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import (  # noqa: F401
    QAction,
    QActionGroup,
    QCloseEvent,
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QIcon,
    QKeySequence,
    QPainter,
    QPalette,
    QShortcut,
    QStyleHints,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import (  # noqa: F401
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStyleFactory,
    QStackedWidget,
    QStatusBar,
    QTabWidget,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QTextEdit,
    QTextEdit,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)


# -- binding quirks -------------------------------------------------------------------------------
def _version(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split(".")[:3] if p.isdigit())


def _pin_singletons() -> bool:
    """PySide6 6.12 on CPython 3.11 drops one reference to None for every call of a Qt method that
    returns nothing (and to True/False for every Signal.emit), as if they were immortal: they are
    only immortal from CPython 3.12. A running app makes thousands of such calls a minute and then
    dies with "Fatal Python error: none_dealloc". Giving the three singletons a huge reference
    count makes them effectively immortal, which is what CPython 3.12 does itself. The real fix is
    a PySide6 other than 6.12.x on Python 3.11 (see docs/gui.md); this keeps the app alive with it.
    """
    if sys.version_info >= (3, 12) or _version(PySide6.__version__)[:2] != (6, 12):
        return False
    import ctypes

    for obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(obj)).value += 1 << 40  # ob_refcnt is PyObject's first field
    return True


SINGLETONS_PINNED = _pin_singletons()
