"""Pictures of a post and of its author's profile, drawn from the platform's own data.

They exist even where the live page needs a login or has gone. Each image says plainly that it
was rendered by SaferPol from the stored payload, when, and which payload, so nobody mistakes
it for a screenshot. Platform text is only ever drawn as text: nothing in it is interpreted.
"""

from __future__ import annotations

import io
import textwrap
import unicodedata
from datetime import datetime

from PIL import Image, ImageDraw, ImageFont

from evidence.fonts import image_font

WIDTH = 900
MARGIN = 28
MAX_TEXT_CHARS = 4000  # beyond this the picture says where the full text is
WRAP = 78
INK = (29, 35, 48)
MUTED = (91, 100, 117)
LINE = (217, 221, 229)
BANNER = (255, 247, 214)


def _font(size: int) -> ImageFont.FreeTypeFont:
    # DejaVu Sans shipped in evidence/fonts: the same pictures on every machine, no system fonts
    # needed, and Polish, Welsh, Urdu or Cyrillic text drawn as itself (emoji still draw as boxes).
    return image_font(size)


def printable(text: object) -> str:
    """Text as it can be drawn: control and invisible format characters shown as code points."""
    out = []
    for char in str(text if text is not None else ""):
        if char in "\n\t":
            out.append(" " if char == "\t" else char)
        elif unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co", "Cn"}:
            out.append(f"<U+{ord(char):04X}>")
        else:
            out.append(char)
    return "".join(out)


def _wrap(text: str, width: int = WRAP) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(textwrap.wrap(paragraph, width=width, replace_whitespace=False, drop_whitespace=True) or [""])
    return lines


class _Card:
    def __init__(self) -> None:
        self.rows: list[tuple[str, int, tuple[int, int, int]]] = []

    def add(self, text: str, size: int = 16, colour: tuple[int, int, int] = INK) -> None:
        for line in _wrap(text):
            self.rows.append((line, size, colour))

    def gap(self) -> None:
        self.rows.append(("", 8, INK))

    def render(self, footer: str) -> bytes:
        heights = [int(size * 1.45) for _, size, _ in self.rows]
        footer_lines = _wrap(footer, 100)
        height = MARGIN * 2 + sum(heights) + 16 + len(footer_lines) * 18 + 12
        image = Image.new("RGB", (WIDTH, height), "white")
        draw = ImageDraw.Draw(image)
        y = MARGIN
        for (text, size, colour), row_height in zip(self.rows, heights, strict=True):
            draw.text((MARGIN, y), text, font=_font(size), fill=colour)
            y += row_height
        y += 8
        draw.rectangle((0, y, WIDTH, height), fill=BANNER)
        draw.line((0, y, WIDTH, y), fill=LINE)
        y += 8
        for line in footer_lines:
            draw.text((MARGIN, y), line, font=_font(13), fill=MUTED)
            y += 18
        buffer = io.BytesIO()
        # No timestamps or other metadata in the file, so the same data gives the same bytes.
        image.save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()


def _footer(kind: str, source: str, rendered_at: datetime) -> str:
    return (
        f"Rendered by SaferPol from the platform's {kind} data ({source}) at "
        f"{rendered_at.strftime('%Y-%m-%d %H:%M:%S UTC')}. This is a drawing of stored data, not a screenshot."
    )


def render_post_png(
    *, platform: str, account_handle: str, post: dict, author: dict, rendered_at: datetime, source: str
) -> bytes:
    """The post as a card: who wrote it, when, to whom, the verbatim text, its id and link."""
    card = _Card()
    name = printable(author.get("display_name") or "")
    handle = printable(author.get("handle") or "unknown")
    card.add(f"{name}  @{handle}" if name else f"@{handle}", 20)
    card.add(f"Platform: {platform}   To: @{printable(account_handle)}", 14, MUTED)
    card.add(
        f"Posted: {printable(post.get('posted_at') or 'unknown')}   Id: {printable(post.get('external_id'))}", 14, MUTED
    )
    card.gap()
    text = printable(post.get("text") or "")
    if len(text) > MAX_TEXT_CHARS:
        text = text[:MAX_TEXT_CHARS] + f" … [{len(text) - MAX_TEXT_CHARS} more characters in post.json]"
    card.add(text, 18)
    card.gap()
    if post.get("url"):
        card.add(f"Link: {printable(post['url'])}", 14, MUTED)
    return card.render(_footer("post", source, rendered_at))


def render_profile_png(*, platform: str, author: dict, rendered_at: datetime, source: str) -> bytes:
    """The author's profile as seen with the post: names, bio, age and audience of the account."""
    card = _Card()
    name = printable(author.get("display_name") or "(no display name)")
    card.add(name, 22)
    card.add(f"@{printable(author.get('handle') or 'unknown')}   on {platform}", 16, MUTED)
    card.gap()
    card.add(f"Bio: {printable(author.get('bio') or '(empty)')}", 16)
    card.gap()
    facts = [
        f"Joined: {printable(author.get('created_at') or 'unknown')}",
        f"Followers: {printable(author.get('followers_count', 'unknown'))}",
        f"Following: {printable(author.get('following_count', 'unknown'))}",
        f"Posts: {printable(author.get('posts_count', 'unknown'))}",
        f"Picture: {'default' if author.get('default_avatar') else 'own'}",
        f"Verified: {'yes' if author.get('verified') else 'no'}",
        f"Id: {printable(author.get('external_id') or 'unknown')}",
    ]
    card.add("   ".join(facts), 14, MUTED)
    if author.get("profile_url"):
        card.add(f"Profile: {printable(author['profile_url'])}", 14, MUTED)
    return card.render(_footer("profile", source, rendered_at))
