"""Demo data for `make run`: invented outlets and articles (written by us, not real news).

Idempotent: loading twice adds nothing the second time.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from django.conf import settings

from sources.ingestion import archive_source, parse_article_record, upsert_article

logger = logging.getLogger(__name__)

DEMO_DIR = Path(settings.BASE_DIR) / "demo"
STORYLINE = DEMO_DIR / "storyline.jsonl"


def load_demo_data(path: Path = STORYLINE) -> str:
    """Import the invented storyline; returns a one-line summary."""
    if not path.exists():
        return f"no demo storyline at {path}"
    created = 0
    with path.open(encoding="utf-8") as lines:
        records = [parse_article_record(json.loads(line)) for line in lines if line.strip()]
    for record in sorted(records, key=lambda r: r.published):
        result = upsert_article(record, source=archive_source(record.outlet or "Demo"))
        created += result.created
    return f"{len(records)} demo articles ({created} new)"
