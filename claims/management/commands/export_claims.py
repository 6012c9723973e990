"""`manage.py export_claims --format json|csv|claimreview [-o FILE]`: claims and history."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand

from claims.claimreview import export_claim_reviews
from claims.export import export_csv, export_json


class Command(BaseCommand):
    help = "Export every claim with its mentions and status history (format in README.md)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=("json", "csv", "claimreview"), default="json")
        parser.add_argument("-o", "--output", help="File to write (default: standard output).")

    def handle(self, *args, format: str, output: str | None, **options):
        if format == "json":
            content = json.dumps(export_json(), indent=2, ensure_ascii=False) + "\n"
        elif format == "claimreview":
            # schema.org ClaimReview JSON-LD of the editor-resolved claims.
            content = json.dumps(export_claim_reviews(), indent=2, ensure_ascii=False) + "\n"
        else:
            content = export_csv()
        if output:
            with open(output, "w", encoding="utf-8", newline="") as handle:
                handle.write(content)
            self.stderr.write(f"wrote {output}")
        else:
            sys.stdout.write(content)
