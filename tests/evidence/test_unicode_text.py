"""Text outside Latin-1 prints as itself in report.pdf and the rendered pictures (DejaVu Sans)."""

from __future__ import annotations

import re
import zipfile
from datetime import UTC, datetime

from evidence import pack
from evidence.fonts import FONT_PATH, image_font, pdf_font, pdf_has_glyph
from evidence.pack import evidence_pack_build
from evidence.render import render_post_png
from evidence.services import evidence_capture, evidence_render
from tests.factories import THREAT, fetched_item

SAMPLES = ("Zażółć gęślą jaźń", "ŵ", "ك")
NOT_IN_FONT = "\U0001f984"  # 🦄: DejaVu Sans has no glyph for it, so it prints as a box


def _pdf_unicode_text(pdf: bytes) -> str:
    """The text an uncompressed reportlab PDF shows, decoded through each font's ToUnicode map."""
    objects = {int(n): body for n, body in re.findall(rb"(\d+) 0 obj(.*?)endobj", pdf, re.S)}
    maps: dict[int, dict[int, str]] = {}
    for number, body in objects.items():
        found = re.search(rb"/ToUnicode (\d+) 0 R", body)
        if found:
            cmap = objects[int(found.group(1))]
            maps[number] = {
                int(code, 16): chr(int(char, 16)) for code, char in re.findall(rb"<([0-9A-F]{2})> <([0-9A-F]+)>", cmap)
            }
    resources = {name: int(ref) for name, ref in re.findall(rb"/(F\d+(?:\+\d+)?) (\d+) 0 R", pdf)}
    text = []
    for block in re.findall(rb"BT(.*?)ET", pdf, re.S):
        font: dict[int, str] | None = None
        for name, shown in re.findall(rb"/(F\d+(?:\+\d+)?) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\)\s*Tj", block):
            if name:
                font = maps.get(resources.get(name, -1))
                continue
            raw = re.sub(rb"\\([0-7]{1,3})", lambda m: bytes([int(m.group(1), 8)]), shown)
            raw = re.sub(rb"\\(.)", rb"\1", raw)
            text.append("".join(font.get(b, "?") if font else chr(b) for b in raw))
        text.append("\n")
    return "".join(text)


def test_the_shipped_font_has_the_glyphs():
    assert FONT_PATH.is_file() and (FONT_PATH.parent / "LICENSE-DejaVu.txt").is_file()
    assert pdf_font() == "SaferPolSans"
    for sample in SAMPLES:
        assert all(pdf_has_glyph(char) for char in sample if char != " "), sample
    assert not pdf_has_glyph(NOT_IN_FONT)


def test_the_report_prints_polish_welsh_and_arabic_script_as_text(media, tmp_path, monkeypatch, ingest):
    (item,) = ingest(fetched_item(f"{THREAT} {' '.join(SAMPLES)}", external_id="unicode-1"))
    evidence_capture(item_id=item.id)
    evidence_render(item_id=item.id)
    monkeypatch.setattr(pack, "PDF_PAGE_COMPRESSION", 0)

    evidence_pack_build(account=item.account, out_path=tmp_path / "pack.zip")
    pdf = zipfile.ZipFile(tmp_path / "pack.zip").read("report.pdf")

    assert b"DejaVuSans" in pdf  # the font is embedded (as a subset)
    text = _pdf_unicode_text(pdf)
    for sample in SAMPLES:
        assert sample in text


def _glyph(char: str) -> bytes:
    mask = image_font(18).getmask(char)
    return bytes(mask)


def test_pictures_draw_the_characters_not_boxes_and_stay_deterministic():
    notdef = _glyph(NOT_IN_FONT)
    for char in "żółćęśąźńŵك":
        assert _glyph(char) != notdef, char

    arguments = {
        "platform": "demo",
        "account_handle": "mp",
        "post": {"external_id": "1", "text": " ".join(SAMPLES), "posted_at": "2025-01-01T00:00:00+00:00"},
        "author": {"handle": "someone", "display_name": "Dafydd ŵ"},
        "rendered_at": datetime(2025, 1, 1, tzinfo=UTC),
        "source": "post.json",
    }
    first = render_post_png(**arguments)
    assert first == render_post_png(**arguments)
    assert first != render_post_png(**{**arguments, "post": {**arguments["post"], "text": "Zazolc gesla jazn"}})
