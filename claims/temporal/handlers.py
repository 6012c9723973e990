"""Rule name -> handler that resolves a grammar match (pure)."""

from __future__ import annotations

import re
from collections.abc import Callable

from claims.temporal import holidays as H
from claims.temporal import ranges as G
from claims.temporal import relative as R
from claims.temporal import resolve as V
from claims.temporal.resolve import Context, Resolution

HANDLERS: dict[str, Callable[[re.Match[str], Context], Resolution | None]] = {
    "day_range": G.h_day_range,
    "clock_range": G.h_clock_range,
    "year_range": G.h_year_range,
    "iso_date": V.h_iso_date,
    "numeric_date": V.h_numeric_date,
    "short_date": V.h_short_date,
    "month_day": V.h_month_day,
    "day_month": V.h_day_month,
    "month_year": V.h_month_year,
    "month": V.h_month,
    "year": V.h_year,
    "decade": V.h_decade,
    "century": V.h_century,
    "quarter": V.h_quarter,
    "anchored_period": V.h_anchored_period,
    "ordinal_part": V.h_ordinal_part,
    "half": V.h_half,
    "relday": V.h_relday,
    "weekday": V.h_weekday,
    "weekend": V.h_weekend,
    "relperiod": V.h_relperiod,
    "season": V.h_season,
    "recess": V.h_recess,
    "holiday": H.h_holiday,
    "ago": R.h_ago,
    "anaphoric_day": R.h_anaphoric_day,
    "duration": R.h_duration,
    "vague": R.h_vague,
    "bare_units": R.h_bare_units,
    "counted_weekday": R.h_counted_weekday,
    "dom_of_month": V.h_dom_of_month,
    "position_quarter": V.h_position_quarter,
    "clock_words": R.h_clock_words,
    "set": R.h_set,
    "time": R.h_time,
    "spelled_year": V.h_spelled_year,
    "new_year": V.h_new_year,
    "fiscal_year": V.h_fiscal_year,
}
