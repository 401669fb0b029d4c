"""python manage.py evaluate_extraction [--data DIR] [--split dev|train]: score the extractor on gold data."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims.extraction import ALL, SPEECH_ONLY, tagger
from claims.extraction.evaluation import evaluate_articles, evaluate_resolution, evaluate_seed, load_polnear

SUBSET_LABELS = {
    "all": "all attributions",
    "direct": "direct quotes",
    "speech_cue": "speech-verb cues",
    "speech_cue_strict": "speech, strict",
}


class Command(BaseCommand):
    help = "Score extraction on the seed article's gold file and a PolNeAR split (see shared/data/README.md)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--data", type=Path, default=Path(settings.BASE_DIR).parent / "shared" / "data", help="data directory"
        )
        parser.add_argument("--split", choices=["dev", "train"], default="dev", help="PolNeAR split to score")

    def handle(self, *args, **options):
        data: Path = options["data"]
        split_dir = data / f"polnear-{options['split']}"
        if not (data / "seed-article.gold.json").is_file() or not split_dir.is_dir():
            raise CommandError(
                f"Evaluation data not found under {data} (need seed-article.gold.json and "
                f"polnear-{options['split']}/). Pass --data DIR pointing at the shared data directory."
            )
        model = tagger.configured()
        extractors = [("rules only", None)]
        if model:
            extractors.append((f"rules + learned model ({model.path})", model))
        else:
            self.stdout.write(f"No learned model at {tagger.DEFAULT_MODEL}: `manage.py train_extraction` builds it.")
        articles = load_polnear(split_dir)
        for name, extractor in extractors:
            self.stdout.write(f"\n=== {name}")
            self._seed(data, extractor)
            self.stdout.write(f"\nPolNeAR {options['split']}: {len(articles)} articles")
            self.stdout.write("Per candidate (each quotation part is one statement):")
            self._table(evaluate_articles(articles, model=extractor))
            self.stdout.write("Per attribution (quotation parts sharing a speaker and cue are one statement):")
            self._table(evaluate_articles(articles, grouped=True, model=extractor))
            self.stdout.write(
                "Quotes mode (speech only, the default an editor sees), per attribution, on the speech-cue subset; "
                "strict counts a candidate matching only a belief, plan, finding or action wrong:"
            )
            self._table(evaluate_articles(articles, grouped=True, model=extractor, attributions=SPEECH_ONLY))
            self.stdout.write(
                "Speaker resolution: matched statements whose gold source is a later reference (a surname, or he, "
                "she, they), against the full name it stands for:"
            )
            for label, mode in (("all attributions", ALL), ("quotes mode", SPEECH_ONLY)):
                result = evaluate_resolution(articles, model=extractor, attributions=mode)
                share = result.resolved / result.references if result.references else 0.0
                self.stdout.write(
                    f"  {label:<18} {result.references:>5} references, {result.resolved} resolved right ({share:.3f}), "
                    f"{result.unresolved} left unresolved"
                )

    def _seed(self, data: Path, model) -> None:
        result = evaluate_seed(data, model)
        self.stdout.write("Seed article")
        self._table(result["scores"])
        for statement in result["statements"]:
            marks = "found" if statement["found"] else "MISSED"
            if statement["found"]:
                marks += ", exact" if statement["exact"] else ", overlapping"
                marks += ", speaker right" if statement["speaker_correct"] else f", speaker {statement['speaker']!r}"
                if statement["kind"] == "direct":
                    marks += ", via right" if statement["via_correct"] else f", via {statement['via']!r}"
            gold = " ".join(statement["gold"].split())[:60]  # the file has NBSPs inside sentences
            self.stdout.write(f"  [{statement['kind']}] {gold!r} ({statement['gold_speaker']}): {marks}")
        left = result["furniture_left"]
        self.stdout.write(f"  page furniture left in body or candidates: {', '.join(left) if left else 'none'}")

    def _table(self, scores: dict) -> None:
        self.stdout.write(
            f"  {'subset':<18} {'gold':>5} {'pred':>5}  {'P exact':>7} {'R exact':>7} {'F1 exact':>8}  "
            f"{'P ovl':>6} {'R ovl':>6} {'F1 ovl':>6}  {'speaker':>7}"
        )
        for subset, row in scores.items():
            if not row["gold"]:
                self.stdout.write(
                    f"  {SUBSET_LABELS[subset]:<18} {0:>5} {row['predicted']:>5}  n/a (no gold cue given)"
                )
                continue
            self.stdout.write(
                f"  {SUBSET_LABELS[subset]:<18} {row['gold']:>5} {row['predicted']:>5}  "
                f"{row['precision_exact']:>7.3f} {row['recall_exact']:>7.3f} {row['f1_exact']:>8.3f}  "
                f"{row['precision_overlap']:>6.3f} {row['recall_overlap']:>6.3f} {row['f1_overlap']:>6.3f}  "
                f"{row['speaker_accuracy']:>7.3f}"
            )
