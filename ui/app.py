"""Starting the counter window: QApplication, the bundled CJK font, Qt's own translations.

Without a CJK font registered by the application, Qt draws every Chinese label as an empty box on
a machine with no CJK fonts installed; the bundled AR PL UMing is registered first thing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from app import paths

FONT_FILES = ("uming.ttc", "HanaMinA.ttf", "HanaMinB.ttf")
LANGUAGES = ("zh", "en")


def register_fonts() -> list[str]:
    """Register the bundled fonts with Qt; return the family names (body face first)."""
    families: list[str] = []
    for name in FONT_FILES:
        font_id = QFontDatabase.addApplicationFont(str(paths.resources_dir() / "fonts" / name))
        if font_id >= 0:
            families += [
                f for f in QFontDatabase.applicationFontFamilies(font_id) if f not in families
            ]
    return families


def install_translators(app: QApplication, lang: str) -> list[QTranslator]:
    """Qt's own buttons (下一步, 取消 …) follow the language through qtbase_zh_CN."""
    translators: list[QTranslator] = []
    if lang == "zh":
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        qt_dir = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
        translator = QTranslator(app)
        if translator.load("qtbase_zh_CN", str(qt_dir)):
            app.installTranslator(translator)
            translators.append(translator)
    return translators


def build_application(argv: list[str], *, lang: str = "zh") -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    app.setApplicationName("certdesk")
    app.setOrganizationName("certdesk")
    families = register_fonts()
    if families:
        font = QFont(families[0], 11)
        # characters the body face lacks (names beyond the BMP) fall back to Hanazono
        font.setFamilies(families)
        app.setFont(font)
    install_translators(app, lang)
    return app
