"""Parse chats exported from WhatsApp ("Export chat") into messages.

WhatsApp has no API for reading a councillor's groups, so evidence arrives as the export file the
phone produces: Android writes a plain ``WhatsApp Chat with <Name>.txt``; iPhone writes a zip holding
``_chat.txt`` (plus any media). The line format follows the phone's locale, so we accept:

* Android: ``31/12/2025, 21:41 - Name: text`` and US ``12/31/25, 9:41 PM - Name: text``;
* iPhone: ``[31/12/2025, 21:41:05] Name: text``, usually with invisible U+200E marks;
* 24h or 12h clocks (``am``/``a.m.``/``PM``, with a space, NBSP or narrow NBSP before it),
  2- or 4-digit years, ``/``, ``.`` or ``-`` between the date parts.

Lines without a timestamp continue the previous message. Lines without a sender are system lines
(``sender=None``). Times carry no zone, so ``sent_at`` is the naive local time as written.

Heuristics and choices (known limits):

* Sender vs system line: a line has a sender only when the text before the first ": " looks like a
  contact name: at most 60 characters and 8 words, no quote marks, and none of the verbs WhatsApp uses
  in its system lines (`` added``, `` changed``, `` left``, `` are`` ...; lower case, after a space).
  So ``Sam changed the subject to "Re: bins"`` is a system line, ``Cllr Jo Bloggs: hello`` is not.
  iPhone writes system lines *with* the group's name as sender and a U+200E before the text; those are
  recognised by their wording (``added``, ``end-to-end encrypted`` ...) and get ``sender=None`` too.
* Date order: any first field > 12 means DMY, any second field > 12 means MDY, a 4-digit first field
  means YMD. If nothing decides, the caller's ``date_order`` is used, else DMY (a UK product) with a
  warning. If lines disagree, the majority wins with a warning (a message may quote a fake timestamp);
  the lines that are impossible in that order stay text. An exact tie is refused unless the hint breaks it.
* A message line that itself looks exactly like a timestamped line can't be told apart from a new
  message: the export format doesn't escape it. The original file remains the evidence.
* Bidi control marks (U+200E/U+200F and the embedding/isolate controls) are removed from senders and
  text: they are invisible, and in hostile text they can reorder what a moderator sees. The original
  file stays the evidence; this is a reading of it.
* Encoding: UTF-8 (BOM optional) or UTF-16 with a BOM. Invalid bytes are refused with a clear message
  rather than replaced, because silently altered evidence is worse than asking for a fresh export.
* Zip exports: only the chat text is read, never extracted to disk; bombs, traversal names,
  encrypted or oversized members and more than 1,000 members are refused.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath

MAX_ZIP_MEMBERS = 1000
DATE_ORDERS = ("DMY", "MDY", "YMD")
NOT_A_CHAT = (
    "This doesn't look like an exported WhatsApp chat. In WhatsApp, open the chat, choose "
    "'Export chat' and upload the .txt file (Android) or the .zip file (iPhone) it produces."
)

_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SP = "[ \u00a0\u202f]"  # newer phones write a narrow no-break space before AM/PM
_DATE = r"(?P<date>\d{1,4}(?P<sep>[./-])\d{1,2}(?P=sep)\d{1,4})"
_TIME = r"(?P<time>\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)"
_AMPM = rf"(?:{_SP}?(?P<ampm>[aApP]\.?{_SP}?[mM]\.?))?"
_LEAD = "^[\u200e\u200f\u202a-\u202e\u2066-\u2069]*"
_PATTERNS = {
    "android": re.compile(rf"{_LEAD}{_DATE},?{_SP}+{_TIME}{_AMPM}{_SP}+[-\u2013]{_SP}+(?P<rest>.*)$"),
    "iphone": re.compile(rf"{_LEAD}\[{_DATE},?{_SP}+{_TIME}{_AMPM}\]{_SP}*(?P<rest>.*)$"),
}
# Verbs of WhatsApp's system lines; lower case after a space, as in "Sam added Jo", "You left".
_SYSTEM_VERBS = re.compile(
    r" (?:added|removed|left|joined|created|changed|deleted|pinned|unpinned|turned|started|ended|reset|"
    r"blocked|unblocked|invited|requested|was|were|is|are|has|have|can|will)\b"
)
# iPhone system lines carry the group's name as "sender"; recognise them by their wording.
_IPHONE_SYSTEM_TEXT = re.compile(
    r"end-to-end encrypted|security code|disappearing messages|^You're now an admin|"
    r"^\S.*? (?:added|removed|left|joined using|created group|changed (?:the|this|their|his|her|to)|"
    r"pinned a message|turned (?:on|off)|reset this group|blocked|unblocked)\b"
)


@dataclass(frozen=True)
class ChatMessage:
    index: int
    sent_at: datetime  # naive local time as written: exports carry no time zone
    sender: str | None  # None for system lines
    text: str  # continuation lines joined with "\n"; "<Media omitted>" kept as text
    line_number: int  # first line in the file, 1-based


@dataclass(frozen=True)
class ParsedChat:
    messages: tuple[ChatMessage, ...]
    format: str  # "android" or "iphone"
    date_order: str  # "DMY", "MDY" or "YMD"
    warnings: tuple[str, ...]


class ChatParseError(ValueError):
    """The upload can't be read as a WhatsApp export; the message is fit to show the user."""


def _clean(value: str) -> str:
    return _BIDI.sub("", value)


def _plausible_name(candidate: str) -> bool:
    name = _clean(candidate).strip()
    if not name or len(name) > 60 or len(name.split()) > 8:
        return False
    if any(quote in name for quote in '"\u201c\u201d'):
        return False
    return not _SYSTEM_VERBS.search(name)


def _split_sender(rest: str, chat_format: str) -> tuple[str | None, str]:
    if ": " not in rest:
        return None, _clean(rest)
    candidate, text = rest.split(": ", 1)
    if not _plausible_name(candidate):
        return None, _clean(rest)
    if chat_format == "iphone" and _BIDI.match(text):
        cleaned = _clean(text)
        if _IPHONE_SYSTEM_TEXT.search(cleaned) and not cleaned.endswith("omitted"):
            return None, cleaned
    return _clean(candidate).strip(), _clean(text)


def _date_fields(date: str) -> tuple[str, str, str]:
    first, second, third = re.split(r"[./-]", date)
    return first, second, third


def _detect_order(dates: list[str], hint: str | None) -> tuple[str, list[str]]:
    if hint is not None and hint not in DATE_ORDERS:
        raise ChatParseError(f"Unknown date order {hint!r}; choose one of {', '.join(DATE_ORDERS)}.")
    # Count the evidence rather than trusting any one line: a message can quote a fake timestamp
    # written the other way round, and one hostile line must not make a whole chat unreadable.
    evidence = dict.fromkeys(DATE_ORDERS, 0)
    for date in dates:
        first, second, _third = _date_fields(date)
        if len(first) == 4:
            evidence["YMD"] += 1
        elif int(first) > 12:
            evidence["DMY"] += 1
        elif int(second) > 12:
            evidence["MDY"] += 1
    best = max(evidence.values())
    found = [order for order in DATE_ORDERS if evidence[order] == best and best > 0]
    if len(found) > 1:
        if hint in found:
            found = [hint]
        else:
            raise ChatParseError(
                "The dates in this chat contradict each other (as many day-first as month-first), so it "
                "can't be read reliably. Please upload the file exactly as WhatsApp exported it."
            )
    if found:
        warnings = []
        if hint is not None and hint != found[0]:
            warnings.append(f"The dates in the chat are written {found[0]}, so the chosen order {hint} was ignored.")
        against = sum(evidence.values()) - best
        if against:
            warnings.append(f"{against} timestamp(s) don't fit the {found[0]} date order used by the rest of the chat.")
        return found[0], warnings
    if hint is not None:
        return hint, []
    return "DMY", ["Every date in this chat could be day-first or month-first; assumed day/month/year."]


def _to_datetime(date: str, time: str, ampm: str | None, order: str) -> datetime | None:
    fields = [int(part) for part in _date_fields(date)]
    year, month, day = {
        "DMY": (fields[2], fields[1], fields[0]),
        "MDY": (fields[2], fields[0], fields[1]),
        "YMD": (fields[0], fields[1], fields[2]),
    }[order]
    if year < 100:
        year += 2000
    parts = [int(part) for part in re.split(r"[:.]", time)]
    hour, minute, second = parts[0], parts[1], parts[2] if len(parts) == 3 else 0
    if ampm:
        if not 1 <= hour <= 12:
            return None
        pm = ampm[0] in "pP"
        hour = hour % 12 + (12 if pm else 0)
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


def parse_chat_text(text: str, *, date_order: str | None = None) -> ParsedChat:
    """Parse the text of an export; raises ChatParseError when it isn't one."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise ChatParseError("The chat file is empty.")
    # Only real line ends split messages: str.splitlines() would also split on U+2028 etc. inside text.
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")

    counts = {name: sum(1 for line in lines if pattern.match(line)) for name, pattern in _PATTERNS.items()}
    chat_format = max(counts, key=lambda name: counts[name])  # ties go to "android", listed first
    if counts[chat_format] == 0:
        raise ChatParseError(NOT_A_CHAT)
    pattern = _PATTERNS[chat_format]
    headers = [(number, pattern.match(line)) for number, line in enumerate(lines, start=1)]
    order, warnings = _detect_order([match["date"] for _, match in headers if match], date_order)

    drafts: list[tuple[datetime, str | None, list[str], int]] = []
    bad_dates: list[int] = []
    skipped = 0
    for (number, match), line in zip(headers, lines, strict=True):
        sent_at = _to_datetime(match["date"], match["time"], match["ampm"], order) if match else None
        if match and sent_at is not None:
            sender, body = _split_sender(match["rest"], chat_format)
            drafts.append((sent_at, sender, [body], number))
            continue
        if match:
            bad_dates.append(number)
        if drafts:
            drafts[-1][2].append(_clean(line))
        elif line.strip() and not match:
            skipped += 1
    if bad_dates:
        shown = ", ".join(str(number) for number in bad_dates[:5])
        more = f" and {len(bad_dates) - 5} more" if len(bad_dates) > 5 else ""
        warnings.append(f"Impossible date or time on line(s) {shown}{more}; kept as text of the message before.")
    if not drafts:
        raise ChatParseError(NOT_A_CHAT)
    if skipped:
        warnings.append(f"{skipped} line(s) before the first message were ignored.")

    messages = []
    for index, (sent_at, sender, body, number) in enumerate(drafts):
        while len(body) > 1 and not body[-1].strip():
            body.pop()  # the blank line at the end of the file isn't part of the last message
        messages.append(ChatMessage(index, sent_at, sender, "\n".join(body), number))
    return ParsedChat(tuple(messages), chat_format, order, tuple(warnings))


def _decode(data: bytes) -> str:
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ChatParseError(
            f"The chat file isn't valid text ({encoding.upper()}) near byte {exc.start}; it may be damaged. "
            "Please export the chat again and upload the new file."
        ) from exc


def _unsafe_name(name: str) -> bool:
    normalised = name.replace("\\", "/")
    if normalised.startswith("/") or re.match(r"^[A-Za-z]:", normalised):
        return True
    return ".." in PurePosixPath(normalised).parts


def _read_zip(data: bytes, max_uncompressed: int) -> bytes:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
        raise ChatParseError("The zip file is damaged or incomplete; please export the chat again.") from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise ChatParseError(f"The zip holds more than {MAX_ZIP_MEMBERS} files; that isn't a WhatsApp export.")
        if any(_unsafe_name(member.filename) for member in members):
            raise ChatParseError("The zip contains file names pointing outside it; it was refused.")
        if sum(member.file_size for member in members) > max_uncompressed:
            raise ChatParseError("The zip unpacks to more than we accept; it was refused.")
        texts = [m for m in members if not m.is_dir() and m.filename.lower().endswith(".txt")]
        chats = [m for m in texts if PurePosixPath(m.filename).name == "_chat.txt"]
        if len(chats) != 1:
            chats = texts
        if len(chats) != 1:
            raise ChatParseError(
                "The zip doesn't contain a single chat text file (_chat.txt); it doesn't look like a WhatsApp export."
            )
        member = chats[0]
        if member.flag_bits & 0x1:
            raise ChatParseError("The zip is password-protected; please upload the export as WhatsApp made it.")
        # The declared size can lie, so count what actually comes out and stop at the cap.
        chunks, total = [], 0
        try:
            with archive.open(member) as stream:
                while chunk := stream.read(64 * 1024):
                    total += len(chunk)
                    if total > max_uncompressed:
                        raise ChatParseError("The chat in the zip unpacks to more than we accept; it was refused.")
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError) as exc:
            raise ChatParseError("The zip file is damaged or uses an unsupported format.") from exc
        return b"".join(chunks)


def parse_chat_file(
    data: bytes,
    *,
    filename: str = "",
    max_bytes: int = 20 * 1024 * 1024,
    max_uncompressed: int = 100 * 1024 * 1024,
    date_order: str | None = None,
) -> ParsedChat:
    """Parse an uploaded export: the Android .txt or the iPhone .zip (told apart by content, not name).

    ``filename`` is only used in messages; the caller keeps the original bytes and their SHA-256.
    """
    label = f" ({filename})" if filename else ""
    if not data:
        raise ChatParseError(f"The uploaded file{label} is empty.")
    if len(data) > max_bytes:
        raise ChatParseError(f"The uploaded file{label} is larger than {max_bytes // (1024 * 1024)} MB.")
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        data = _read_zip(data, max_uncompressed)
        if not data:
            raise ChatParseError("The chat in the zip is empty.")
    return parse_chat_text(_decode(data), date_order=date_order)
