"""Batch interface to the rules engine: JSON lines in, verdicts out.

In:  {"id": "...", "text": "...", "author": {optional profile fields}}
Out: {"id": "...", "hits": [{"rule", "category", "score", "severity", "reason"}], "severity": "..."}

A bad line is reported on stderr with its line number and skipped; the rest still run, and
the command exits 1 at the end if any line was bad.
"""

from __future__ import annotations

import json
import sys
from typing import IO

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from moderation.rules import Engine


class Command(BaseCommand):
    help = "Classify JSON lines of replies against the five rules of engagement."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--input", default="-", help="JSON lines file (default: standard input)")
        parser.add_argument("--output", default="-", help="where to write verdicts (default: standard output)")

    def handle(self, *args, **options) -> None:
        engine = self._engine()
        source = self._open(options["input"], "r")
        sink = self._open(options["output"], "w")
        bad = 0
        try:
            for number, line in enumerate(source, start=1):
                if not line.strip():
                    continue
                try:
                    record = self._parse(line)
                except ValueError as exc:
                    bad += 1
                    self.stderr.write(f"line {number}: {exc}")
                    continue
                verdict = engine.classify(record["text"], record.get("author"))
                sink.write(json.dumps({"id": record["id"], **verdict.as_dict()}, ensure_ascii=False) + "\n")
        finally:
            sink.flush()
            if sink is not sys.stdout:
                sink.close()
            if source is not sys.stdin:
                source.close()
        if bad:
            raise CommandError(f"{bad} line{'s' if bad != 1 else ''} could not be classified (see above)", returncode=1)

    def _engine(self) -> Engine:
        from moderation.services import rules_engine

        try:
            return rules_engine()
        except DatabaseError:
            # No database yet (a fresh checkout): the text and author rules still apply.
            self.stderr.write("note: no database, so the claims register and domain list are empty")
            return Engine()

    def _open(self, path: str, mode: str) -> IO[str]:
        if path == "-":
            stream = sys.stdin if mode == "r" else sys.stdout
            # A lone surrogate in the input comes back as a JSON \uXXXX escape, never a crash.
            stream.reconfigure(encoding="utf-8", errors="backslashreplace" if mode == "w" else "replace")
            return stream
        try:
            return open(path, mode, encoding="utf-8", errors="replace" if mode == "r" else "backslashreplace")
        except OSError as exc:
            raise CommandError(f"cannot open {path}: {exc.strerror}") from exc

    @staticmethod
    def _parse(line: str) -> dict:
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
        if not isinstance(record, dict):
            raise ValueError("expected a JSON object")
        if "id" not in record:
            raise ValueError('missing "id"')
        if not isinstance(record.get("text"), str):
            raise ValueError('"text" must be a string')
        author = record.get("author")
        if author is not None and not isinstance(author, dict):
            raise ValueError('"author" must be an object when given')
        return record
