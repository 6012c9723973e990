"""Demo data for `make run`: our invented storyline replayed (written by us, not real news).

Fifteen articles from five invented outlets, September–October 2026, replayed as if live up
to 1 November 2026: a new user sees claims that are open, due soon, overdue, fulfilled,
fulfilled late after a deadline move, missed, contradicted and retracted, each with its
history and evidence. Idempotent: loading twice adds nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from django.conf import settings

from claims.models import Claim
from claims.replay import replay

logger = logging.getLogger(__name__)

DEMO_DIR = Path(settings.BASE_DIR) / "demo"
STORYLINE = (DEMO_DIR / "storyline.jsonl", DEMO_DIR / "storyline_edits.jsonl")
# The storyline's "today": replayed up to here, the statuses tell the whole story.
DEMO_UNTIL = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)


def load_demo_data(paths: tuple[Path, ...] = STORYLINE) -> str:
    """Replay the invented storyline; returns a one-line summary."""
    present = [path for path in paths if path.exists()]
    if not present:
        return f"no demo storyline in {DEMO_DIR}"
    report = replay(present, until=DEMO_UNTIL)
    statuses = sorted(set(Claim.objects.values_list("status", flat=True)))
    return (
        f"{report.articles} new demo article(s), {report.edits} edit(s), "
        f"{report.status_changes} status change(s), replayed up to {DEMO_UNTIL:%d %b %Y}; "
        f"{Claim.objects.count()} claims ({', '.join(statuses)})"
    )
