"""Rendered pictures of a post and a profile, drawn from stored platform data."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from PIL import Image

from evidence.render import MAX_TEXT_CHARS, printable, render_post_png, render_profile_png

AT = datetime(2026, 11, 21, 7, 30, tzinfo=UTC)
AUTHOR = {
    "handle": "troll_99",
    "display_name": "Not A Bot",
    "bio": "<script>alert(1)</script> patriot",
    "created_at": "2026-11-18T10:00:00+00:00",
    "followers_count": 2,
    "following_count": 900,
    "default_avatar": True,
    "external_id": "u-1",
}
POST = {
    "external_id": "p-1",
    "text": "I know where you live \u200b k i l l",
    "posted_at": "2026-11-21T07:00:00+00:00",
    "url": "https://x.com/troll_99/status/1",
}


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_post_picture_is_a_png_of_readable_size():
    data = render_post_png(
        platform="x", account_handle="CllrSamPatel", post=POST, author=AUTHOR, rendered_at=AT, source="post.json"
    )
    image = opened(data)
    assert image.format == "PNG" and image.width == 900 and image.height > 150


def test_same_data_gives_the_same_bytes():
    kwargs = {"platform": "x", "author": AUTHOR, "rendered_at": AT, "source": "author.json"}
    assert render_profile_png(**kwargs) == render_profile_png(**kwargs)


def test_long_text_is_cut_with_a_pointer_to_the_full_payload():
    long_post = {**POST, "text": "abuse " * 2000}
    short = opened(
        render_post_png(platform="x", account_handle="a", post=POST, author=AUTHOR, rendered_at=AT, source="post.json")
    )
    long = opened(
        render_post_png(
            platform="x", account_handle="a", post=long_post, author=AUTHOR, rendered_at=AT, source="post.json"
        )
    )
    assert long.height > short.height
    assert long.height < 40 * (MAX_TEXT_CHARS // 78 + 20)  # bounded, not one row per character


def test_invisible_and_control_characters_are_shown_not_hidden():
    assert printable("a\u200bb\u202ec\x00") == "a<U+200B>b<U+202E>c<U+0000>"
    assert printable(None) == ""


def test_hostile_and_missing_fields_still_render():
    data = render_profile_png(
        platform="x", author={"bio": "\ud800\x07" * 50, "handle": None}, rendered_at=AT, source="author.json"
    )
    assert opened(data).format == "PNG"
