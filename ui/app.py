"""Starting the counter window: QApplication, the bundled CJK font, Qt's own translations.

Without a CJK font registered by the application, Qt draws every Chinese label as an empty box on
a machine with no CJK fonts installed; the bundled AR PL UMing is registered first thing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from app import paths

# The screen's face first: WenQuanYi Micro Hei, a sans-serif (黑体) face. The printed papers keep
# the Ming (Song) face of forms/fonts.py, right for an official document; on a 1366×768 counter
# screen at 9–11 pt, the Ming face's hairline horizontals thin out and blur, while a Hei face
# keeps every stroke one pixel or more (what Chinese desktops use for their UI: 微软雅黑 on
# Windows, 思源黑体 on UOS and Kylin). The Ming and Hanazono faces stay as fallbacks, for the
# characters Micro Hei lacks (names beyond the BMP).
FONT_FILES = ("wqy-microhei.ttc", "uming.ttc", "HanaMinA.ttf", "HanaMinB.ttf")
LANGUAGES = ("zh", "en")


def register_fonts() -> list[str]:
    """Register the bundled fonts with Qt; return the family names (body face first)."""
    families: list[str] = []
    for name in FONT_FILES:
        font_id = QFontDatabase.addApplicationFont(str(paths.resources_dir() / "fonts" / name))
        if font_id >= 0:
            families += [
                f
                for f in QFontDatabase.applicationFontFamilies(font_id)
                if f not in families and not f.endswith(" Mono")  # (Micro Hei's fixed-width twin)
            ]
    return families


_installed: list[QTranslator] = []


def install_translators(app: QApplication, lang: str) -> list[QTranslator]:
    """The window's language. Chinese is the source language of every string (tr()), and Qt's own
    buttons (下一步, 取消 …) come from qtbase_zh_CN; English loads certdesk_en.qm (built from
    resources/translations/certdesk_en.ts by ``make translations``) over Qt's English defaults."""
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    if lang == "zh":
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        directory, name = (
            Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
            "qtbase_zh_CN",
        )
    else:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
        directory, name = paths.resources_dir() / "translations", f"certdesk_{lang}"
    translator = QTranslator(app)
    if translator.load(name, str(directory)):
        app.installTranslator(translator)
        _installed.append(translator)
    return list(_installed)


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
    icon = paths.resources_dir() / "icons" / "certdesk.svg"
    if icon.exists():  # the windows' and the task bar's icon (the desktop entry names the same)
        app.setWindowIcon(QIcon(str(icon)))
    return app
