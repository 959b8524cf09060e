"""The WhatsApp export parser: pure Python, no database.

The sample chats are a councillor's ward group ("Riverside Ward Residents"), where Cllr Priya Shah
answers residents and a couple of people turn abusive.
"""

from __future__ import annotations

import io
import struct
import zipfile
from datetime import datetime

import pytest

from platforms.whatsapp import ChatParseError, parse_chat_file, parse_chat_text

LRM = "\u200e"
NNBSP = "\u202f"

E2E = (
    "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, "
    "can read or listen to them. Tap to learn more."
)
ANDROID_DMY = f"""\
14/03/2025, 08:02 - {E2E}
14/03/2025, 08:02 - Cllr Priya Shah created group "Riverside Ward Residents"
14/03/2025, 08:05 - Cllr Priya Shah added Dave Mercer
14/03/2025, 09:17 - Cllr Priya Shah: Morning all. The bin collection on Mill Lane moves to Thursdays from next week.
14/03/2025, 09:20 - Dave Mercer: Typical. Nobody asked us.
Third time this year they've changed it.
14/03/2025, 21:41 - Dave Mercer changed the subject to "Re: bins"
15/03/2025, 23:58 - +44 7700 900123: You're a useless liar Shah. We know which house is yours.
15/03/2025, 23:59 - +44 7700 900123: <Media omitted>
16/03/2025, 07:30 - Cllr Priya Shah: Reported to the police. Please keep this group civil.
"""


def test_android_24h_day_first_chat_is_parsed():
    chat = parse_chat_text(ANDROID_DMY)

    assert chat.format == "android"
    assert chat.date_order == "DMY"
    assert chat.warnings == ()
    assert len(chat.messages) == 9
    assert [message.index for message in chat.messages] == list(range(9))
    notice = chat.messages[3]
    assert notice.sender == "Cllr Priya Shah"
    assert notice.sent_at == datetime(2025, 3, 14, 9, 17)
    assert notice.text.startswith("Morning all.")
    threat = chat.messages[6]
    assert threat.sender == "+44 7700 900123"
    assert threat.sent_at == datetime(2025, 3, 15, 23, 58)
    assert threat.text == "You're a useless liar Shah. We know which house is yours."


def test_continuation_lines_join_the_previous_message():
    chat = parse_chat_text(ANDROID_DMY)

    complaint = chat.messages[4]
    assert complaint.sender == "Dave Mercer"
    assert complaint.text == "Typical. Nobody asked us.\nThird time this year they've changed it."


def test_system_lines_have_no_sender_even_with_a_colon_later():
    chat = parse_chat_text(ANDROID_DMY)

    system = [message for message in chat.messages if message.sender is None]
    assert [message.text for message in system] == [
        E2E,
        'Cllr Priya Shah created group "Riverside Ward Residents"',
        "Cllr Priya Shah added Dave Mercer",
        'Dave Mercer changed the subject to "Re: bins"',
    ]


def test_system_line_with_colon_and_no_quotes_is_still_a_system_line():
    chat = parse_chat_text("14/03/2025, 10:00 - You changed this group's description to: Ward news only\n")

    assert chat.messages[0].sender is None
    assert chat.messages[0].text == "You changed this group's description to: Ward news only"


def test_only_the_first_colon_separates_sender_from_text():
    chat = parse_chat_text("14/03/2025, 10:00 - Dave Mercer: Re: bins: still not collected\n")

    assert chat.messages[0].sender == "Dave Mercer"
    assert chat.messages[0].text == "Re: bins: still not collected"


def test_lines_before_the_first_message_are_ignored_with_a_warning():
    chat = parse_chat_text("Exported by Priya\n" + ANDROID_DMY)

    assert chat.messages[0].line_number == 2
    assert "1 line(s) before the first message" in chat.warnings[0]


def test_media_omitted_is_kept_as_text():
    chat = parse_chat_text(ANDROID_DMY)

    assert chat.messages[7].text == "<Media omitted>"
    assert chat.messages[7].sender == "+44 7700 900123"


def test_line_numbers_point_at_the_first_line_of_each_message():
    chat = parse_chat_text(ANDROID_DMY)

    assert [message.line_number for message in chat.messages] == [1, 2, 3, 4, 5, 7, 8, 9, 10]


def test_trailing_blank_line_is_not_part_of_the_last_message():
    chat = parse_chat_text(ANDROID_DMY + "\n\n")

    assert chat.messages[-1].text == "Reported to the police. Please keep this group civil."


def test_windows_line_endings_are_accepted():
    chat = parse_chat_text(ANDROID_DMY.replace("\n", "\r\n"))

    assert len(chat.messages) == 9
    assert chat.messages[4].text == "Typical. Nobody asked us.\nThird time this year they've changed it."


def test_us_12h_month_first_with_narrow_no_break_space():
    text = (
        f"12/31/25, 9:41{NNBSP}PM - Priya Shah: Happy new year to everyone on Elm Road\n"
        f"12/31/25, 11:58{NNBSP}PM - Gary Pike: Nobody wants your greetings, get lost\n"
        f"1/1/26, 12:05{NNBSP}AM - Gary Pike: I'll be waiting outside the surgery on Monday\n"
        "1/1/26, 12:30 p.m. - Priya Shah: This has been passed to the police.\n"
    )

    chat = parse_chat_file(text.encode(), filename="WhatsApp Chat with Elm Road.txt")

    assert chat.format == "android"
    assert chat.date_order == "MDY"
    assert chat.warnings == ()
    assert [message.sent_at for message in chat.messages] == [
        datetime(2025, 12, 31, 21, 41),
        datetime(2025, 12, 31, 23, 58),
        datetime(2026, 1, 1, 0, 5),
        datetime(2026, 1, 1, 12, 30),
    ]
    assert chat.messages[2].sender == "Gary Pike"


def test_dotted_dates_and_two_digit_years():
    chat = parse_chat_text("31.12.25, 21:41 - Dave Mercer: Fireworks on the green again\n")

    assert chat.date_order == "DMY"
    assert chat.messages[0].sent_at == datetime(2025, 12, 31, 21, 41)


def test_year_first_dates():
    chat = parse_chat_text("2025-12-31, 21:41 - Dave Mercer: Fireworks on the green again\n")

    assert chat.date_order == "YMD"
    assert chat.messages[0].sent_at == datetime(2025, 12, 31, 21, 41)


AMBIGUOUS = """\
01/02/2025, 10:00 - Dave Mercer: Is the library still closing?
03/04/2025, 11:15 - Cllr Priya Shah: No, it stays open. Consultation results are out on Friday.
"""


def test_ambiguous_dates_assume_day_first_with_a_warning():
    chat = parse_chat_text(AMBIGUOUS)

    assert chat.date_order == "DMY"
    assert chat.messages[0].sent_at == datetime(2025, 2, 1, 10, 0)
    assert len(chat.warnings) == 1
    assert "assumed day/month/year" in chat.warnings[0]


def test_ambiguous_dates_follow_the_hint_without_a_warning():
    chat = parse_chat_text(AMBIGUOUS, date_order="MDY")

    assert chat.date_order == "MDY"
    assert chat.messages[0].sent_at == datetime(2025, 1, 2, 10, 0)
    assert chat.warnings == ()


def test_data_overrides_a_contradicting_hint_with_a_warning():
    chat = parse_chat_text(ANDROID_DMY, date_order="MDY")

    assert chat.date_order == "DMY"
    assert "MDY was ignored" in chat.warnings[0]


def test_self_contradicting_dates_are_refused():
    text = "31/12/2025, 10:00 - A: one\n12/31/2025, 10:00 - B: two\n"

    with pytest.raises(ChatParseError, match="contradict"):
        parse_chat_text(text)


def test_evenly_contradicting_dates_follow_the_hint():
    text = "31/12/2025, 10:00 - A: one\n12/31/2025, 10:00 - B: two\n"

    chat = parse_chat_text(text, date_order="MDY")

    assert chat.date_order == "MDY"
    assert [(message.sender, message.text) for message in chat.messages] == [("B", "two")]
    assert any("line(s) 1;" in warning for warning in chat.warnings)


def test_a_quoted_fake_timestamp_does_not_spoil_the_chat():
    fake = "12/31/2025, 10:00 - Cllr Priya Shah: I resign"
    text = ANDROID_DMY + f"16/03/2025, 08:00 - Gary Pike: She wrote this, look:\n{fake}\n"

    chat = parse_chat_text(text)

    assert chat.date_order == "DMY"
    assert chat.messages[-1].sender == "Gary Pike"
    assert chat.messages[-1].text == f"She wrote this, look:\n{fake}"
    assert any("don't fit the DMY" in warning for warning in chat.warnings)


def test_unknown_date_order_hint_is_refused():
    with pytest.raises(ChatParseError, match="Unknown date order"):
        parse_chat_text(AMBIGUOUS, date_order="DDD")


def test_impossible_timestamp_becomes_a_continuation_with_a_warning():
    text = "31/12/2025, 10:00 - Dave Mercer: see you\n31/12/2025, 25:00 - not a real time\n"

    chat = parse_chat_text(text)

    assert len(chat.messages) == 1
    assert chat.messages[0].text == "see you\n31/12/2025, 25:00 - not a real time"
    assert "line(s) 2;" in chat.warnings[0]


IPHONE = (
    f"{LRM}[14/03/2025, 08:02:11] Riverside Ward Residents: {LRM}Messages and calls are end-to-end encrypted. "
    "No one outside of this chat, not even WhatsApp, can read or listen to them.\n"
    f"{LRM}[14/03/2025, 08:05:40] Riverside Ward Residents: {LRM}Cllr Priya Shah added Dave Mercer\n"
    "[14/03/2025, 09:17:03] Cllr Priya Shah: Potholes on Station Road are booked for repair.\n"
    "[14/03/2025, 09:20:59] Dave Mercer: About time.\n"
    "Took you long enough.\n"
    f"{LRM}[15/03/2025, 23:58:00] Gary Pike: {LRM}image omitted\n"
    "[15/03/2025, 23:58:30] Gary Pike: Everyone knows you're bent. Watch your back.\n"
    f"{LRM}[16/03/2025, 07:00:00] Dave Mercer: {LRM}This message was deleted.\n"
)


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, content in members.items():
            archive.writestr(zipfile.ZipInfo(name), content, compress_type=compression)
    return buffer.getvalue()


def test_iphone_zip_with_marks_and_seconds():
    data = _zip({"_chat.txt": IPHONE.encode(), "00000012-PHOTO-2025-03-15-23-58-00.jpg": b"\xff\xd8\xff"})

    chat = parse_chat_file(data, filename="WhatsApp Chat - Riverside.zip")

    assert chat.format == "iphone"
    assert chat.date_order == "DMY"
    assert len(chat.messages) == 7
    first, added, notice, reply, image, threat, deleted = chat.messages
    assert first.sender is None
    assert first.text.startswith("Messages and calls are end-to-end encrypted.")
    assert added.sender is None
    assert added.text == "Cllr Priya Shah added Dave Mercer"
    assert notice.sent_at == datetime(2025, 3, 14, 9, 17, 3)
    assert reply.text == "About time.\nTook you long enough."
    assert image.sender == "Gary Pike"
    assert image.text == "image omitted"
    assert threat.sent_at == datetime(2025, 3, 15, 23, 58, 30)
    assert deleted.sender == "Dave Mercer"
    assert deleted.text == "This message was deleted."
    assert [message.line_number for message in chat.messages] == [1, 2, 3, 4, 6, 7, 8]


def test_zip_with_a_single_txt_of_another_name_is_read():
    data = _zip({"WhatsApp Chat - Riverside/chat export.txt": IPHONE.encode()})

    assert len(parse_chat_file(data).messages) == 7


def test_zip_is_detected_by_content_not_name():
    data = _zip({"_chat.txt": IPHONE.encode()})

    assert parse_chat_file(data, filename="chat.txt").format == "iphone"


def test_zip_without_a_chat_text_is_refused():
    with pytest.raises(ChatParseError, match="single chat text"):
        parse_chat_file(_zip({"photo.jpg": b"\xff\xd8\xff"}))


def test_zip_with_several_texts_and_no_chat_txt_is_refused():
    data = _zip({"a.txt": IPHONE.encode(), "b.txt": IPHONE.encode()})

    with pytest.raises(ChatParseError, match="single chat text"):
        parse_chat_file(data)


def test_damaged_zip_is_refused():
    data = _zip({"_chat.txt": IPHONE.encode()})

    with pytest.raises(ChatParseError, match="damaged"):
        parse_chat_file(data[:60])


def test_bidi_controls_are_removed_from_hostile_text():
    text = "14/03/2025, 10:00 - Gary\u202e Pike: you \u2066lie\u2069 again\n"

    message = parse_chat_text(text).messages[0]

    assert message.sender == "Gary Pike"
    assert message.text == "you lie again"


def test_utf8_bom_is_accepted():
    chat = parse_chat_file(b"\xef\xbb\xbf" + ANDROID_DMY.encode())

    assert chat.messages[0].line_number == 1
    assert chat.messages[0].sender is None
    assert len(chat.messages) == 9


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_with_a_bom_is_accepted(encoding):
    data = ANDROID_DMY.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data

    chat = parse_chat_file(data)

    assert len(chat.messages) == 9
    assert chat.messages[6].text == "You're a useless liar Shah. We know which house is yours."


def test_invalid_utf8_is_refused_with_a_clear_message():
    data = b"14/03/2025, 10:00 - Dave Mercer: caf" + b"\xc3\x28\n"

    with pytest.raises(ChatParseError, match="isn't valid text"):
        parse_chat_file(data)


def test_text_that_is_not_a_chat_is_refused():
    with pytest.raises(ChatParseError, match="doesn't look like an exported WhatsApp chat"):
        parse_chat_file(b"Dear Councillor,\nPlease fix the streetlights on Mill Lane.\n")


def test_zip_whose_text_is_not_a_chat_is_refused():
    with pytest.raises(ChatParseError, match="doesn't look like an exported WhatsApp chat"):
        parse_chat_file(_zip({"_chat.txt": b"shopping list: milk, eggs"}))


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"  \n\n"])
def test_empty_file_is_refused(data):
    with pytest.raises(ChatParseError, match="empty"):
        parse_chat_file(data)


def test_empty_chat_inside_a_zip_is_refused():
    with pytest.raises(ChatParseError, match="empty"):
        parse_chat_file(_zip({"_chat.txt": b""}))


def test_oversized_file_is_refused():
    with pytest.raises(ChatParseError, match="larger than"):
        parse_chat_file(ANDROID_DMY.encode(), max_bytes=100)


def test_highly_compressible_huge_member_is_refused():
    huge = b"14/03/2025, 10:00 - Gary Pike: " + b"a" * (3 * 1024 * 1024)
    data = _zip({"_chat.txt": huge})
    assert len(data) < 20 * 1024  # tiny upload, big inflation

    with pytest.raises(ChatParseError, match="more than we accept"):
        parse_chat_file(data, max_uncompressed=1024 * 1024)


def _lie_about_size(data: bytes, declared: int) -> bytes:
    """Rewrite the uncompressed size in the local header and the central directory."""
    patched = bytearray(data)
    local = patched.index(b"PK\x03\x04")
    central = patched.index(b"PK\x01\x02")
    struct.pack_into("<I", patched, local + 22, declared)
    struct.pack_into("<I", patched, central + 24, declared)
    return bytes(patched)


def test_member_declaring_a_small_size_but_inflating_past_the_cap_is_refused():
    huge = b"14/03/2025, 10:00 - Gary Pike: " + b"a" * (3 * 1024 * 1024)
    data = _lie_about_size(_zip({"_chat.txt": huge}), declared=200)
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo("_chat.txt").file_size == 200

    # zipfile stops at the declared size and then fails the CRC; the byte count cap backs that up.
    with pytest.raises(ChatParseError, match=r"damaged|more than we accept"):
        parse_chat_file(data, max_uncompressed=1024 * 1024)


def test_too_many_members_are_refused():
    data = _zip({f"{number}.jpg": b"" for number in range(1001)} | {"_chat.txt": IPHONE.encode()})

    with pytest.raises(ChatParseError, match="more than 1000 files"):
        parse_chat_file(data)


@pytest.mark.parametrize(
    "name", ["../_chat.txt", "media/../../etc/passwd", "/etc/passwd", "C:/evil.txt", "..\\..\\evil.jpg"]
)
def test_path_traversal_names_are_refused(name):
    data = _zip({"_chat.txt": IPHONE.encode(), name: b"x"})

    with pytest.raises(ChatParseError, match="outside"):
        parse_chat_file(data)
