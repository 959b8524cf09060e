"""The typeface evidence is printed in: DejaVu Sans, shipped here so every machine draws the same.

DejaVu Sans covers Latin (Polish, Welsh ŵ and the rest), Greek, Cyrillic, Arabic script and
more, so platform text prints as itself rather than as boxes; it has no emoji, which still print
as a box. Its licence (LICENSE-DejaVu.txt, beside the font) allows copying it with the software.
If the file is missing, the report falls back to Helvetica and the pictures to Pillow's own font.
"""

from __future__ import annotations

import functools
from pathlib import Path

FONT_PATH = Path(__file__).resolve().parent / "DejaVuSans.ttf"
PDF_FONT_NAME = "SaferPolSans"  # the name it is registered under with reportlab
PDF_FALLBACK_FONT = "Helvetica"


@functools.cache
def pdf_font() -> str:
    """The reportlab font name for report text: DejaVu Sans, registered once, or Helvetica."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    try:
        pdfmetrics.registerFont(TTFont(PDF_FONT_NAME, str(FONT_PATH)))
    except (OSError, TTFError):
        return PDF_FALLBACK_FONT
    # <b> and <i> in the report mark fixed English labels; they stay in Helvetica's bold and
    # oblique, while anything a person or a platform wrote is in the shipped font.
    addMapping(PDF_FONT_NAME, 0, 0, PDF_FONT_NAME)
    addMapping(PDF_FONT_NAME, 1, 0, "Helvetica-Bold")
    addMapping(PDF_FONT_NAME, 0, 1, "Helvetica-Oblique")
    addMapping(PDF_FONT_NAME, 1, 1, "Helvetica-BoldOblique")
    return PDF_FONT_NAME


def pdf_has_glyph(char: str) -> bool:
    """Whether the report's font draws this character (rather than a box)."""
    from reportlab.pdfbase import pdfmetrics

    name = pdf_font()
    if name == PDF_FALLBACK_FONT:
        return ord(char) < 256
    return bool(pdfmetrics.getFont(name).face.charToGlyph.get(ord(char)))


@functools.cache
def image_font(size: int):
    """The Pillow font for rendered pictures at this size: DejaVu Sans, or Pillow's own font."""
    from PIL import ImageFont

    try:
        return ImageFont.truetype(str(FONT_PATH), size=size)
    except OSError:
        return ImageFont.load_default(size=size)
