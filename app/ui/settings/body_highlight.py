"""Highlighting of a phrase body in the editor: placeholders, fields, escapes, lint words.

Qt counts text positions in UTF-16 code units, the template engine and the linter in
``str`` offsets; :func:`utf16_offsets` converts between them (emoji take two units).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from app.core.template import spans


def utf16_offsets(text: str) -> list[int] | None:
    """UTF-16 offset of every str offset of ``text`` (None when they are the same)."""
    if all(ord(c) < 0x10000 for c in text):
        return None
    out = [0]
    for c in text:
        out.append(out[-1] + (2 if ord(c) >= 0x10000 else 1))
    return out


class PlaceholderHighlighter(QSyntaxHighlighter):
    """Colours placeholders, fill-in fields, escapes and unknown placeholders; underlines
    words the compliance lint flags."""

    def __init__(self, document: QTextDocument, lint: Callable[[str], list[tuple[int, int]]]):
        super().__init__(document)
        self._lint = lint
        self._formats: dict[str, QTextCharFormat] = {}
        for kind, color, bold in (
            ("placeholder", "#1565c0", True),
            ("field", "#2e7d32", True),
            ("escape", "#757575", False),
            ("unknown", "#c62828", False),
        ):
            fmt = QTextCharFormat()
            fmt.setForeground(QColor(color))
            if bold:
                fmt.setFontWeight(QFont.Weight.DemiBold)
            if kind == "unknown":
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
                fmt.setUnderlineColor(QColor(color))
            self._formats[kind] = fmt
        self._lint_format = QTextCharFormat()
        self._lint_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        self._lint_format.setUnderlineColor(QColor("#e65100"))
        self._lint_format.setBackground(QColor(255, 224, 178, 120))

    def highlightBlock(self, text: str) -> None:
        conv = utf16_offsets(text)

        def at(i: int) -> int:
            return conv[i] if conv is not None else i

        for start, end in self._lint(text):
            self.setFormat(at(start), at(end) - at(start), self._lint_format)
        for span in spans(text):
            fmt = self._formats.get(span.kind)
            if fmt is not None:
                self.setFormat(at(span.start), at(span.end) - at(span.start), fmt)
