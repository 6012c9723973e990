"""Word lists and number parsing shared by the temporal grammar and resolver (pure)."""

from __future__ import annotations

import re

MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
WEEKDAYS = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tue": 1,
    "tues": 1,
    "wednesday": 2,
    "wed": 2,
    "weds": 2,
    "thursday": 3,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}
# Informal spellings people type for relative days ("tmrw", "2nite"), read as the word meant.
INFORMAL_DAYS = {
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "tmw": "tomorrow",
    "tmrow": "tomorrow",
    "tomoz": "tomorrow",
    "2moro": "tomorrow",
    "2morrow": "tomorrow",
    "tonite": "tonight",
    "2nite": "tonight",
    "2day": "today",
    "yday": "yesterday",
}
INFORMAL_DAY = "(?:" + "|".join(sorted(INFORMAL_DAYS, key=len, reverse=True)) + ")"
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
UNITS = {
    "second": "S",
    "minute": "MIN",
    "min": "MIN",
    "sec": "S",
    "hour": "H",
    "hr": "H",
    "day": "D",
    "night": "D",
    "week": "W",
    "wk": "W",
    "fortnight": "FN",
    "month": "M",
    "quarter": "Q",
    "year": "Y",
    "yr": "Y",
    "decade": "E",
    "century": "C",
    "centurie": "C",
    "millennium": "L",
    "millennia": "L",
}
SMALL_NUMBERS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
# Ordinals, spelled and in digits, 1st … 99th: one vocabulary for days of the month, parts of
# a month ("the second Tuesday"), quarters and centuries. "last"/"final" count from the end.
_ORDINAL_UNITS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
}
_ORDINAL_TEENS = {
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
}


def _spelled_ordinals() -> dict[str, int]:
    words = dict(_ORDINAL_UNITS) | _ORDINAL_TEENS
    for tens_word, tens in TENS.items():
        words[tens_word[:-1] + "ieth"] = tens  # twentieth, thirtieth …
        for unit_word, unit in _ORDINAL_UNITS.items():
            words[f"{tens_word}-{unit_word}"] = tens + unit
    return words


def _digit_suffix(n: int) -> str:
    if n % 100 in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


SPELLED_ORDINALS = _spelled_ordinals()
ORDINALS: dict[str, int] = (
    SPELLED_ORDINALS
    | {f"{n}{_digit_suffix(n)}": n for n in range(1, 100)}
    | {"last": -1, "final": -1}
)
# Regex fragments: a spelled ordinal (hyphen or space inside "twenty-first"), and a day of the
# month in words ("the twenty-first").
_ordinal_alternatives = sorted(SPELLED_ORDINALS, key=len, reverse=True)
ORDINAL_WORD = "(?:" + "|".join(w.replace("-", r"[-\s]") for w in _ordinal_alternatives) + ")"
DAY_ORDINAL_WORD = (
    "(?:"
    + "|".join(w.replace("-", r"[-\s]") for w in _ordinal_alternatives if SPELLED_ORDINALS[w] <= 31)
    + ")"
)


def ordinal_value(text: str) -> int | None:
    """'third' -> 3, 'twenty first' -> 21, '21st' -> 21, 'last' -> -1; None if not one."""
    word = re.sub(r"[\s-]+", "-", text.strip().lower())
    return ORDINALS.get(word)


def day_of_month(text: str) -> int | None:
    """'3', '3rd', 'third', 'twenty-first' -> the day number; None outside 1 … 31."""
    cleaned = text.strip().lower()
    digits = re.match(r"\d+", cleaned)
    number = int(digits.group()) if digits else ordinal_value(cleaned)
    return number if number is not None and 1 <= number <= 31 else None


VAGUE_QUANTITIES = (
    "several",
    "a few",
    "few",
    "some",
    "many",
    "a couple of",
    "couple of",
    "a number of",
    "dozens of",
    "hundreds of",
    "thousands of",
    "a matter of",
    "the",
    "recent",
    "coming",
)

# --- regex fragments (strings, composed into compiled patterns in grammar.py) ---
_small = "|".join(sorted(SMALL_NUMBERS, key=len, reverse=True))
_tens = "|".join(TENS)
WORD_NUMBER = (
    rf"(?:(?:{_tens})(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine))?"
    rf"|{_small}|a\s+hundred|one\s+hundred|a\s+thousand|a\s+dozen|a\s+half)"
)
DIGIT_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s+1/2|½)?"
VAGUE_NUMBER = (
    r"(?:several|a\s+few|few|some|many|a\s+couple\s+of|a\s+couple|couple\s+of|a\s+number\s+of"
    r"|dozens\s+of|hundreds\s+of|thousands\s+of)"
)
# "another year", "an additional week": one more unit.
ONE_MORE = r"(?:another|an\s+additional|an\s+extra|a\s+further)"
NUMBER = (
    rf"(?:{DIGIT_NUMBER}|{WORD_NUMBER}(?:\s+and\s+a\s+half)?|one\s+and\s+a\s+half|half\s+an?"
    rf"|an?(?:\s+and\s+a\s+half)?|{VAGUE_NUMBER})"
)
UNIT = (
    r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|wks?|fortnights?|months?|quarters?"
    r"|years?|yrs?"
    r"|decades?|century|centuries|millennium|millennia)"
)
MONTH_NAME = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|Sep\.?|Oct\.?|Nov\.?|Dec\.?)"
)
WEEKDAY_NAME = (
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Tues\.?|Thurs\.?"
    r"|Weds\.?|Thur\.?|Mon\.?|Tue\.?|Wed\.?|Thu\.?|Fri\.?|Sat\.?|Sun\.?)"
)
# Weekday abbreviations that are also words ("sun", "sat", "wed", "mon"): see
# resolve.short_weekday_ok for the contexts that make them days.
SHORT_WEEKDAYS = frozenset({"mon", "tue", "wed", "weds", "thu", "thur", "fri", "sat", "sun"})
DAY_NUMBER = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:1[5-9]\d\d|20\d\d)"
SHORT_YEAR = r"(?:'\d\d)"
PART_OF_DAY = r"(?:morning|afternoon|evening|night|overnight)"
# A year in words as broadcast transcripts write it: "nineteen ninety-four".
SPELLED_YEAR = (
    r"(?:nineteen|eighteen)\s+(?:hundred\s+(?:and\s+)?)?"
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)\b"
)

# "1/2" before the digit run: otherwise "2 1/2" reads as 2 + 1 + 2.
_NUMBER_WORD_RE = re.compile(r"1/2|½|[a-z]+|\d+(?:\.\d+)?")


def parse_number(text: str) -> float | None:
    """Parse '12', 'twenty-four', 'a', 'two and a half', '2 1/2', 'a hundred'; None if vague."""
    cleaned = text.lower().replace(",", "").replace("-", " ").strip()
    if re.fullmatch(r"(?:a\s+)?couple(?:\s+of)?", cleaned):
        return 2.0  # TimeML reads "a couple of years" as P2Y
    if re.fullmatch(VAGUE_NUMBER, cleaned):
        return None
    if re.fullmatch(ONE_MORE, cleaned):
        return 1.0
    total = 0.0
    current = 0.0
    seen = False
    for word in _NUMBER_WORD_RE.findall(cleaned):
        if word in ("a", "an"):
            current = current or 1.0
            seen = True
        elif word in ("half", "½", "1/2"):
            # "a half", "half a", "two and a half", "2 1/2"
            current = current + 0.5 if current else 0.5
            seen = True
        elif word in SMALL_NUMBERS:
            current += SMALL_NUMBERS[word]
            seen = True
        elif word in TENS:
            current += TENS[word]
            seen = True
        elif word == "hundred":
            current = (current or 1.0) * 100
            seen = True
        elif word == "thousand":
            total += (current or 1.0) * 1000
            current = 0.0
            seen = True
        elif word == "dozen":
            current = (current or 1.0) * 12
            seen = True
        elif word in ("and",):
            continue
        elif word[0].isdigit():
            current += float(word)
            seen = True
        else:
            return None
    return total + current if seen else None


def year_from_text(text: str) -> int:
    """'1998' -> 1998; "'98" -> 1998; "'05" -> 2005 (two-digit years pivot at 50)."""
    digits = text.strip("'’")
    if len(digits) == 2:
        value = int(digits)
        return 1900 + value if value >= 50 else 2000 + value
    return int(digits)


_SPELLED_YEAR_RE = re.compile(
    r"(?P<century>nineteen|eighteen|twenty)\s+(?P<rest>[a-z\- ]+)"
    r"|two\s+thousand(?:\s+and)?(?:\s+(?P<small>[a-z\- ]+))?",
    re.IGNORECASE,
)


def parse_spelled_year(text: str) -> int | None:
    """'nineteen ninety-four' -> 1994, 'two thousand and five' -> 2005, 'two thousand' -> 2000."""
    match = _SPELLED_YEAR_RE.fullmatch(text.lower().strip())
    if match is None:
        return None
    if match.group("century"):
        century = {"eighteen": 1800, "nineteen": 1900, "twenty": 2000}[match.group("century")]
        rest = match.group("rest").replace("hundred and", "").replace("hundred", "").strip()
        if not rest:
            return century
        value = parse_number(rest)
        return century + int(value) if value is not None and value < 100 else None
    small = match.group("small")
    if not small:
        return 2000
    value = parse_number(small)
    return 2000 + int(value) if value is not None and value < 100 else None


UNIT_CODE_VALUE = {"D": "D", "W": "W", "M": "M", "Y": "Y", "Q": "Q", "E": "E", "C": "C", "L": "L"}


def unit_key(word: str) -> str:
    word = word.lower()
    if word.endswith("ies"):
        word = word[:-3] + "y"
    elif word.endswith("s") and word not in ("millennia",):
        word = word[:-1]
    return UNITS.get(word, UNITS.get(word + "e", "D"))


def duration_value(number: float | None, unit: str) -> str:
    """TIMEX3 duration value for `number` units; 'X' when the number is vague."""
    if unit == "FN":
        unit, number = "W", None if number is None else number * 2
    time_unit = unit in ("H", "MIN", "S")
    letter = {"H": "H", "MIN": "M", "S": "S"}.get(unit, UNIT_CODE_VALUE.get(unit, unit))
    prefix = "PT" if time_unit else "P"
    if number is None:
        return f"{prefix}X{letter}"
    if unit in ("E", "C") and number * (10 if unit == "E" else 100) == int(
        number * (10 if unit == "E" else 100)
    ):
        # "two decades" = P20Y, "a century" = P100Y: TimeBank writes counted decades and
        # centuries in years (4 of 5 in TBAQ); only vague ones keep PXE / PXC.
        return f"P{int(number * (10 if unit == 'E' else 100))}Y"
    if number == int(number):
        return f"{prefix}{int(number)}{letter}"
    whole = int(number)
    frac = number - whole
    smaller = {
        "Y": ("M", 12),
        "M": ("D", 30),
        "W": ("D", 7),
        "D": ("H", 24),
        "H": ("M", 60),
        "MIN": ("S", 60),
        "E": ("Y", 10),
        "C": ("Y", 100),
        "Q": ("M", 3),
    }.get(unit)
    if smaller is None:
        return f"{prefix}{number:g}{letter}"
    small_letter, factor = smaller
    small = round(frac * factor)
    if unit == "D":
        return f"P{whole}DT{small}H" if whole else f"PT{small}H"
    if time_unit:
        return f"PT{whole}{letter}{small}{small_letter}" if whole else f"PT{small}{small_letter}"
    return f"P{whole}{letter}{small}{small_letter}" if whole else f"P{small}{small_letter}"
