"""python manage.py extract FILE [--json] [--html] [--all-attributions]: attributed statements of one article."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.extraction import ALL, SPEECH_ONLY, ExtractionInputError, extract_article, tagger
from claims.extraction.pipeline import looks_like_html


class Command(BaseCommand):
    help = "List the quotes and reported statements of an article (a text or HTML file, or - for stdin)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the article, or - to read standard input")
        parser.add_argument("--json", action="store_true", help="print the full result as JSON")
        parser.add_argument("--html", action="store_true", help="the input is HTML (detected when not given)")
        parser.add_argument(
            "--all-attributions",
            action="store_true",
            help="every attribution (beliefs, plans, findings, actions), not only quotes (speech)",
        )

    def handle(self, *args, **options):
        raw = self._read(options["file"])
        as_html = options["html"] or looks_like_html(raw)
        try:
            given = {"html" if as_html else "text": raw}
            attributions = ALL if options["all_attributions"] else SPEECH_ONLY
            extraction = extract_article(**given, tagger=tagger.configured(), attributions=attributions)
        except ExtractionInputError as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(json.dumps(extraction.to_dict(), ensure_ascii=False, indent=2))
            return
        self._print_listing(extraction)

    def _read(self, name: str) -> str:
        if name == "-":
            return sys.stdin.read()
        path = Path(name)
        if not path.is_file():
            raise CommandError(f"No such file: {name}")
        try:
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            raise CommandError(
                f"{name} is not UTF-8 text (byte {error.start}); convert it or paste the text."
            ) from error

    def _print_listing(self, extraction) -> None:
        metadata = extraction.metadata
        for label, value in (
            ("Headline", metadata.headline),
            ("Credited to", metadata.credited_to),
            ("Byline", metadata.byline),
            ("Dateline", metadata.dateline),
            ("Published", metadata.published_at),
            ("Updated", metadata.updated_at),
            ("Language", metadata.language),
        ):
            if value:
                self.stdout.write(f"{label}: {value}")
        if extraction.headline_candidates:
            self.stdout.write(f"{len(extraction.headline_candidates)} statement(s) in the headline (offsets into it)")
            self._print_candidates(extraction.headline_candidates)
        self.stdout.write(f"{len(extraction.candidates)} statement(s)\n")
        self._print_candidates(extraction.candidates)

    def _print_candidates(self, candidates) -> None:
        for number, candidate in enumerate(candidates, start=1):
            speaker = candidate.speaker or "unknown speaker"
            if candidate.speaker_title:
                speaker = f"{candidate.speaker_title} {speaker}"
            via = f" (via {candidate.via})" if candidate.via else ""
            kind = candidate.kind if candidate.attribution == "speech" else f"{candidate.kind} {candidate.attribution}"
            self.stdout.write(f"{number}. [{kind}] {speaker}{via}: “{candidate.text}”")
            self.stdout.write(
                f"   offsets {candidate.start}-{candidate.end}, cue “{candidate.cue}”, "
                f"confidence {candidate.confidence:.2f} ({candidate.reason})"
            )
