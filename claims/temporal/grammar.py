"""Regular-expression grammar that finds candidate temporal expressions (pure).

Each `Rule` names a pattern; `resolve.py` turns a match into a TIMEX3 value. When a pattern has a
group named ``span``, only that group becomes the expression (the rest is context, e.g. the
"within" in "within weeks").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claims.temporal.holidays import PATTERN as HOLIDAY_PATTERN
from claims.temporal.holidays import TRIGGERS as HOLIDAY_TRIGGERS
from claims.temporal.lexicon import (
    DAY_NUMBER,
    DAY_ORDINAL_WORD,
    INFORMAL_DAY,
    INFORMAL_DAYS,
    MONTH_NAME,
    NUMBER,
    ONE_MORE,
    ORDINAL_WORD,
    PART_OF_DAY,
    SHORT_YEAR,
    SPELLED_YEAR,
    UNIT,
    WEEKDAY_NAME,
    YEAR,
)
from claims.temporal.ranges import CLOCK_RANGE, DAY_RANGE, YEAR_RANGE
from claims.temporal.relative import CLOCK_WORDS, COUNTED_WEEKDAY


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]


def _rule(name: str, pattern: str) -> Rule:
    # Every expression starts at a word boundary ("know" holds no "now").
    return Rule(name, re.compile(rf"(?<![\w'’])(?:{pattern})", re.IGNORECASE | re.VERBOSE))


# Modifiers kept inside a timex ("nearly two months", "at least 30 days").
DURATION_MOD = (
    r"(?:about|around|roughly|approximately|some|nearly|almost|more\s+than|less\s+than"
    r"|fewer\s+than|at\s+least|at\s+most|up\s+to|no\s+more\s+than|no\s+less\s+than|over|under"
    r"|just\s+over|just\s+under|well\s+over|barely|only|just|a\s+little\s+over|a\s+full"
    r"|a\s+mere|an\s+extra|upwards\s+of)"
)
# "last" the verb ("the truce will last 90 days") is no determiner.
NOT_A_VERB = (
    "".join(
        rf"(?<!\b{word}\s)"
        for word in ("will", "would", "could", "can", "may", "might", "must", "should", "to", "not")
    )
    + r"(?<!n't\s)(?<!'ll\s)(?<!’ll\s)"
)
# Position inside a period ("early next year", "the end of April").
POSITION = (
    r"(?:early|late|mid|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of"
    r"|the\s+close\s+of|the\s+turn\s+of|the\s+rest\s+of|the\s+remainder\s+of|the\s+balance\s+of"
    r"|the\s+first\s+half\s+of|the\s+second\s+half\s+of|the\s+latter\s+half\s+of"
    r"|the\s+last\s+half\s+of|the\s+first\s+part\s+of|the\s+latter\s+part\s+of"
    r"|the\s+last\s+part\s+of|the\s+early\s+part\s+of|(?:end|start|beginning|middle)\s+of"
    r"|end|start|beginning|middle"
    r"|earlier|later|sometime|some\s+time|as\s+early\s+as|as\s+late\s+as)"
)
POSITION_PREFIX = rf"(?:(?P<pos>{POSITION})(?:\s+|-)|(?P<mid>mid-))?"
RELATIVE = (
    r"(?:this\s+past|this\s+coming|the\s+coming|this|next|last|past|coming|the\s+past"
    r"|the\s+previous|the\s+preceding|the\s+following|the\s+current|the\s+next|the\s+last"
    r"|the\s+same|the\s+new|the\s+latest|the\s+present|the\s+full|previous|current|following|the)"
)
YEAR_RELATIVE = r"(?:this|last|next|the\s+previous|the\s+following|the\s+same|that)\s+year"
# "EST", "ET", "GMT", "Eastern Daylight Time", "local time": a clock time's zone.
TIMEZONE = (
    r"(?:[ECMP][SD]?T|GMT|UTC|BST|CET|CEST|Z"
    r"|(?:Eastern|Central|Mountain|Pacific)(?:\s+(?:Standard|Daylight))?\s+Time|local\s+time)"
)
CLOCK = (
    r"(?:(?:at\s+|around\s+|about\s+|by\s+)?"
    r"(?:(?P<hour>[01]?\d|2[0-3])(?:[:.](?P<minute>[0-5]\d))?\s*(?P<ampm>a\.m\.|p\.m\.|am\b|pm\b|a\.m|p\.m)"
    r"|(?P<hour24>[01]?\d|2[0-3]):(?P<minute24>[0-5]\d)(?!\d)"
    r"|(?P<mil_h>[01]\d|2[0-3])(?P<mil_m>[0-5]\d)(?=\s*(?:GMT|UTC|Z|hrs|hours\s+(?:GMT|local)|local\s+time)\b)"
    r"|(?P<noon>noon|midday|midnight)"
    r"|(?P<hourw>[01]?\d)\s+o'clock"
    # "at 8 this evening", "at 9 tomorrow": a bare hour only just before the day it is on.
    r"|(?<=\bat\s)(?P<bare_h>1[0-2]|0?[1-9])(?:[:.](?P<bare_m>[0-5]\d))?(?=\s+(?:on\s+)?"
    r"(?:tonight|today|tomorrow|tmrw|this\s+(?:morning|afternoon|evening)"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b))"
    rf"(?:\s+(?P<tz>{TIMEZONE})\b)?)"
)

# "tonight at 8", "this evening at 7:30": a bare hour after a day or a part of the day.
AT_HOUR = (
    r"(?:\s+at\s+(?P<ath{n}>1[0-2]|0?[1-9])(?:[:.](?P<atm{n}>[0-5]\d))?"
    r"(?![\d:]|\.\d|\s*(?:a\.?m|p\.?m|o'clock)))?"
)

RULES: tuple[Rule, ...] = (
    _rule("day_range", DAY_RANGE),
    _rule("clock_range", CLOCK_RANGE),
    _rule("year_range", YEAR_RANGE),
    _rule(
        "iso_date",
        r"\b(?P<y>\d{4})-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?:T(?P<hh>[0-2]\d):(?P<mm>[0-5]\d))?\b",
    ),
    _rule(
        "numeric_date",
        r"(?<![\d/.])(?:(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})"
        r"|(?P<y2>\d{4})/(?P<m2>\d{1,2})/(?P<d2>\d{1,2})"
        r"|(?P<d3>\d{1,2})\.(?P<m3>\d{1,2})\.(?P<y3>\d{4}))(?![\d/])",
    ),
    _rule(
        # "by 3/15", "on the 30th": year-less and month-less dates only after a date preposition.
        "short_date",
        rf"""(?P<nine11>\b9/11)(?=\s+(?:attacks?|terror\w*|hijack\w*|commission|memorial|anniversary))
        |\b(?:by|on|until|before|through|after|from|since|for|to|till|til|and|between|due|is|was|be)\s+
        (?:(?P<span>(?P<m>1[0-2]|0?[1-9])/(?P<d>3[01]|[12]\d|0?[1-9]))(?![\d/]|\s*(?:%|percent))
        |(?P<span2>the\s+(?:(?P<dom>3[01]|[12]\d|[1-9])(?:st|nd|rd|th)|(?P<domw>{DAY_ORDINAL_WORD})))
        (?=\s*(?:[.,;:!?)]|$|(?:and|or|at|to|when|if|but|as|in)\b)))""",
    ),
    _rule(
        "month_day",
        rf"""(?:(?P<wd>{WEEKDAY_NAME}),?\s+)?(?:the\s+)?{POSITION_PREFIX}(?P<mon>{MONTH_NAME})\s*
        (?:(?:the\s+)?(?P<day>{DAY_NUMBER})|(?:the\s+)?(?P<dayw>{DAY_ORDINAL_WORD})(?![\w-]))(?:\s*[-–]\s*(?P<day2>{DAY_NUMBER}))?(?![\w%]|:\d|,\d|\.\d|\s*(?:percent|million|billion|%))
        (?:(?:,\s*|\s+)(?P<year>{YEAR})(?![\w%]))?""",
    ),
    _rule(
        "day_month",
        rf"""(?<![\d.,$£€])(?:(?P<wd>{WEEKDAY_NAME}),?\s+)?(?:the\s+)?(?:(?P<day>{DAY_NUMBER})(?:\s+of)?|(?P<dayw>{DAY_ORDINAL_WORD})\s+of)
        \s+(?P<mon>{MONTH_NAME})(?![\w])(?:,?\s+(?P<year>{YEAR})(?![\w%]))?""",
    ),
    _rule(
        "month_year",
        rf"""(?:the\s+)?{POSITION_PREFIX}(?P<mon>{MONTH_NAME})(?:\s+of)?,?\s+
        (?:(?P<year>{YEAR}|{SHORT_YEAR})(?![\w%])|(?P<yrel>{YEAR_RELATIVE})|(?P<syear>{SPELLED_YEAR}))""",
    ),
    _rule(
        "month",
        rf"""(?:the\s+)?(?:{POSITION_PREFIX}|(?P<det>this\s+past|this\s+coming|last|next|this|coming)\s+)?
        (?P<mon>(?:January|February|March|April|May|June|July|August|September|October|November|December)\b
        |(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?:\.|(?!\w)))""",
    ),
    _rule(
        "year",
        rf"""(?:the\s+)?{POSITION_PREFIX}
        (?:(?P<fy>FY\s?|fiscal\s+(?:year\s+)?|calendar\s+(?:year\s+)?|the\s+year\s+|model\s+year\s+))?
        (?<![\d$£€.,#/])(?:(?<=mid-)|(?<=early-)|(?<=late-)|(?<!-))(?P<year>{YEAR}|(?<=FY)\d\d|(?<=FY\s)\d\d)(?![\w%$]|,\d|\.\d|\s*(?:%|percent|GMT|UTC|hrs\b|local\s+time)|-\d)
        (?:\s+(?P<period>fiscal\s+year|period|season|quarter|first\s+half|second\s+half))?""",
    ),
    _rule(
        "decade",
        r"""(?:the\s+)?(?:(?P<pos>early|mid|late)(?:\s+|-))?
        (?P<dec>(?:1[5-9]|20)\d0'?s|['’]\d0s|(?<=the\s)\d0s)(?!\w)
        |(?:the\s+)(?:(?P<pos2>early|mid|late)(?:\s+|-))?(?P<decw>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b""",
    ),
    _rule(
        "century",
        rf"""(?:the\s+)?(?:(?P<pos>early|mid|late)(?:\s+|-))?
        (?:(?P<ord>\d{{1,2}}(?:st|nd|rd|th)|{ORDINAL_WORD})|(?P<rel>this|last|next|the\s+past|the\s+previous|the\s+new|the\s+last|the\s+next))
        [\s-]century\b""",
    ),
    _rule(
        "quarter",
        rf"""(?:the\s+)?{POSITION_PREFIX}(?:the\s+)?
        (?:(?P<pyear>{YEAR})\s+|(?P<prel>this|last|next)\s+year'?s\s+|(?P<det>this|last|next|current|the\s+current)\s+
        |(?P<ago>year-ago|year-earlier|comparable|year-before|prior-year)\s+)?
        (?:(?P<fiscal>fiscal)\s+)?
        (?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|final)[-\s](?:fiscal\s+)?quarter\b
        (?:\s+(?:of\s+)?(?:(?:fiscal\s+)?(?P<year>{YEAR})(?![\w%])|(?P<yrel>{YEAR_RELATIVE})))?
        |(?:the\s+)?(?P<qtag>Q[1-4])(?:\s+|-|/)?(?P<qyear>{YEAR}|'?\d\d(?!\w))?
        |(?:the\s+)?(?P<qyear2>{YEAR})\s+(?P<qtag2>Q[1-4])\b
        |(?:the\s+)?(?P<qspan>January-March|April-June|July-September|October-December)\s+quarter\b""",
    ),
    _rule(
        "anchored_period",
        rf"""(?:the\s+|this\s+|last\s+|that\s+)?(?P<kind>year-ago|year-earlier|year\s+ago|year\s+earlier|latest|previous
        |same|comparable|corresponding|year-before|prior-year|prior\s+year's|last\s+year's|this\s+year's|current)
        \s+(?:fiscal\s+)?(?P<unit>quarter|period|three\s+months)(?:\s+(?P<yrel>last\s+year|a\s+year\s+(?:ago|earlier)))?\b
        |(?<![\w-])(?P<adj>year-ago|year-earlier)(?![\w-])(?!\s+{NUMBER}\s+(?:months|weeks|quarters)\b)
        |(?P<the>the|this|that|last|next)\s+(?P<bare>quarter)\b(?!-)
        (?:\s+(?P<bareago>a\s+year\s+(?:ago|earlier)))?""",
    ),
    _rule(
        # "the first week of December", "the last Friday in June", "the first weekend of July"
        "ordinal_part",
        rf"""(?:the\s+)?(?P<ord>first|second|third|fourth|fifth|last|final|1st|2nd|3rd|4th|5th)\s+
        (?P<what>week|weekend|day|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\s+(?:of|in)\s+
        (?:(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December)
        (?:,?\s+(?P<year>{YEAR})(?![\w%]))?|(?P<rel>next|this|last|the)\s+month
        |(?P<yrel>next|this|last|the)\s+year)""",
    ),
    _rule(
        "half",
        rf"""(?:the\s+)?(?P<ord>first|second|latter|last|back)\s+half\s*(?:of\s+)?
        (?:(?P<year>{YEAR})(?![\w%])|(?P<yrel>{YEAR_RELATIVE}|the\s+year))?
        |(?P<htag>H[12])(?:\s+|-)?(?P<hyear>{YEAR})?(?!\w)
        |(?:the\s+)?first\s+two\s+quarters(?:\s+of\s+(?P<year2>{YEAR}))?""",
    ),
    _rule(
        "relday",
        rf"""(?:(?P<pre>early|late|earlier|later)\s+)?(?P<word>today|tonight|tomorrow|yesterday|{INFORMAL_DAY})
        (?:\s+(?P<pod>morning|afternoon|evening|night))?(?!\w){AT_HOUR.format(n="")}
        |the\s+day\s+(?P<rel>before\s+yesterday|after\s+tomorrow)
        |the\s+night\s+before\s+(?P<nbl>last)
        |(?:(?P<pre2>early|late|earlier|later)\s+)?this\s+(?P<pod2>morning|afternoon|evening)
        {AT_HOUR.format(n="2")}
        |(?P<lastnight>last\s+night|overnight)
        |(?:in|during|into|through)\s+(?P<span>the\s+(?P<pod3>morning|afternoon|evening|night))\b
        |mid(?:-|\s)?(?P<midpod>morning|afternoon)(?:\s+(?P<midday>today|yesterday|tomorrow))?\b""",
    ),
    _rule(
        "weekday",
        rf"""(?:(?P<det>this\s+past|this\s+coming|last|next|this|coming|past
        |the\s+previous|the\s+preceding|the\s+following)\s+)?
        (?:(?P<pre>early|late|earlier|later)\s+(?:on\s+)?)?(?P<wd>{WEEKDAY_NAME})(?!s\b|\w)
        (?:\s+the\s+(?P<dom>{DAY_NUMBER}|{DAY_ORDINAL_WORD})(?![\w-])
        (?!\s+(?:day|days|week|weeks|month|time|quarter|round|game|of|straight|consecutive)\b))?
        (?:\s+(?P<pod>{PART_OF_DAY}))?{AT_HOUR.format(n="3")}(?:\s+(?P<wdrel>next\s+week|last\s+week|this\s+week)
        |\s+(?P<wkafter>week|fortnight)(?!\s*['’]|\w)|\s+(?P<wdafter>after\s+next|before\s+last)\b)?""",
    ),
    _rule(
        "weekend",
        r"(?:(?P<pre>early|late)\s+)?(?P<det>the|this\s+past|this\s+coming|this|next|last|coming|past)\s+weekend\b"
        r"(?:\s+(?P<after>after\s+next|before\s+last)\b)?",
    ),
    _rule(
        "relperiod",
        rf"""(?:(?:the\s+)?{POSITION_PREFIX})?(?P<det>{RELATIVE})\s+
        (?P<unit>week|wk|month|year|quarter|decade|century|spring|summer|autumn|fall|winter)
        (?:\s+(?P<after>after\s+next|before\s+last))?\b(?!-|\s+\d)""",
    ),
    _rule(
        "season",
        rf"""(?:(?:the\s+)?{POSITION_PREFIX})?(?:(?P<det>this\s+past|this\s+coming|the|this|next|last)\s+)?
        (?:(?P<pos2>early|late|mid)(?:\s+|-))?(?P<season>spring|summer|autumn|fall|winter)\b
        (?:(?:\s+of)?\s+(?:(?P<year>{YEAR}|{SHORT_YEAR})(?![\w%])|(?P<syear>{SPELLED_YEAR}))
        |\s+(?P<yrel>{YEAR_RELATIVE}))?""",
    ),
    _rule(
        "recess",
        r"""(?:the\s+|its\s+|their\s+)?(?P<which>summer|August|Christmas|winter|holiday|Easter|Whitsun|spring
        |conference)\s+(?:recess|break)\b
        |(?:Parliament|the\s+House|the\s+Commons|Congress|the\s+Senate|MPs|lawmakers)\s+
        (?:rises|rise|breaks|break|adjourns|leaves|leave)\s+for\s+(?:the\s+)?(?P<which2>summer|Christmas|Easter)""",
    ),
    _rule(
        "holiday",
        HOLIDAY_PATTERN,
    ),
    _rule(
        "ago",
        rf"""(?:(?P<mod>{DURATION_MOD})\s+)?(?P<num>{NUMBER})[\s-](?P<unit>{UNIT})(?:\s+or\s+so)?\s+
        (?P<dir>ago|earlier|later|before|after|from\s+now|hence|back|previously|since|prior)
        (?=[\s.,;:!?)"'”’]|$)""",
    ),
    _rule(
        "anaphoric_day",
        r"""(?:(?P<pre>earlier|later)\s+)?
        (?P<rel>the\s+next|the\s+following|the\s+previous|the\s+preceding|the\s+same|that\s+same|that)\s+
        (?P<unit>day|morning|afternoon|evening|night|week|month|year)\b
        |the\s+(?P<unit2>day|week|month|year)\s+(?P<dir>before|after|earlier|later)(?=[\s.,;:!?]|$)""",
    ),
    _rule(
        "duration",
        rf"""(?:(?P<mod>{DURATION_MOD})\s+(?!the\b))?
        (?:(?P<det>the\s+(?:past|last|next|first|coming|previous|following|final|remaining|initial
        |latest|full|entire|whole|ensuing|intervening|preceding|subsequent|same)|another|a\s+further
        |an\s+additional|the|this|these|those|next|past|{NOT_A_VERB}last)\s+)?
        (?:(?P<mod2>{DURATION_MOD})\s+)?(?P<num>{NUMBER}|{ONE_MORE}(?=\s))[\s-]+(?:more\s+)?
        (?:(?:trading|business|working)\s+)?(?P<unit>{UNIT})
        (?:(?P<half>\s+and\s+a\s+half)|(?P<adj>-(?:long|old)))?(?!-?\w)""",
    ),
    _rule(
        "vague",
        r"""(?P<word>this\s+time\s+(?:next|last)\s+(?:year|month|week)|(?:the\s+)?(?:next|coming|past|last)\s+fortnight
        |now|currently|at\s+present|presently|at\s+the\s+moment
        |these\s+days|nowadays|current|recently
        |recent\s+(?:days|weeks|months|years|times)|recent|lately|of\s+late
        |very\s+soon|soon|shortly|imminently|sooner\s+or\s+later|any\s+day\s+now|any\s+time\s+now
        |the\s+(?:near|immediate|foreseeable|distant|not-too-distant|not\s+too\s+distant)\s+future
        |the\s+future|future|a\s+later\s+date|as\s+soon\s+as\s+possible|the\s+past|previously|formerly|earlier\s+on|once\s+upon\s+a\s+time
        |(?:the|these)\s+coming\s+(?:days|weeks|months|quarters|years)|coming\s+(?:days|weeks|months|quarters|years)
        |the\s+(?:days|weeks|months|years)\s+ahead|the\s+(?:days|weeks|months|years)\s+to\s+come
        |(?:a\s+)?matter\s+of\s+(?:hours|days|weeks|months)

        |the\s+next\s+(?:few|several|couple\s+of)\s+(?:hours|days|weeks|months|years)
        |the\s+(?:past|last)\s+(?:few|several|couple\s+of)\s+(?:hours|days|weeks|months|years)
        |one\s+day|some\s+day|someday|the\s+long\s+term|the\s+short\s+term|the\s+medium\s+term
        |the\s+near\s+term        )\b""",
    ),
    _rule(
        "bare_units",
        r"""\b(?:within|for|in|over|after|took|takes|lasted|last|spent|spend|wait|waited|of)\s+
        (?P<span>(?:hours|days|weeks|months|years|decades|centuries)(?:\s+or\s+(?:hours|days|weeks|months|years))?)
        (?!\s+(?:of|ago|earlier|later|before|after|from|old|to\s+come|ahead))\b
        |\bthe\s+(?P<span2>days|weeks|months|years)(?=\s+(?:before|after|that\s+followed|since))
        |(?<![\w-])(?P<long>hour|day|week|month|year|hours|days|weeks|months|years)-long(?!-?\w)""",
    ),
    _rule("counted_weekday", COUNTED_WEEKDAY),
    _rule(
        # "the 2nd of next month", "the fifteenth of this month"
        "dom_of_month",
        rf"""(?:the\s+)?(?P<dom>{DAY_NUMBER}|{DAY_ORDINAL_WORD})\s+of\s+
        (?P<rel>next|this|last|the|the\s+following|the\s+next)\s+month\b""",
    ),
    _rule(
        # "the end of Q3", "early Q1 2026"
        "position_quarter",
        rf"""(?:the\s+)?{POSITION_PREFIX}(?P<qtag>Q[1-4])(?:\s+(?P<qyear>{YEAR}))?(?!\w)""",
    ),
    _rule("clock_words", CLOCK_WORDS),
    _rule(
        "set",
        rf"""(?P<word>daily|weekly|monthly|yearly|annually|hourly|quarterly|nightly|biweekly|bimonthly
        |semiannually|fortnightly)\b
        |(?P<every>every|each)\s+(?:(?P<other>other|single)\s+)?(?:(?P<num>{NUMBER})\s+)?(?P<unit>{UNIT}|weekend)
        |(?P<every2>every|each)\s+(?:(?P<other2>other)\s+)?(?P<wd>{WEEKDAY_NAME}|January|February|March|April|June|July|August
        |September|October|November|December|spring|summer|autumn|fall|winter)(?:\s+(?P<pod>{PART_OF_DAY}))?
        |(?:on\s+)?(?P<wds>Mondays|Tuesdays|Wednesdays|Thursdays|Fridays|Saturdays|Sundays)(?:\s+(?P<pod2>nights|mornings|evenings|afternoons))?
        |(?:(?:\d|million|billion|percent|%|times|once|twice)\s+)(?P<span>an?\s+(?:year|day|week|month|hour))\b""",
    ),
    _rule(
        "time",
        rf"""(?<![\w$£€.,]){CLOCK}""",
    ),
    _rule(
        "spelled_year",
        rf"""(?:the\s+year\s+)?(?P<y>{SPELLED_YEAR})
        |the\s+year\s+(?P<y2>two\s+thousand(?:\s+and)?(?:\s+(?:one|two|three|four|five|six|seven|eight|nine|ten))?)\b""",
    ),
    _rule(
        "new_year",
        r"(?:the\s+)?(?P<pos>early|late)?\s*(?P<word>the\s+new\s+year|the\s+turn\s+of\s+the\s+year|year-end|year\s+end|year['’]s\s+end|end\s+of\s+year|month-end|end\s+of\s+(?:the\s+)?month"
        r"|end\s+of\s+(?:week|quarter)(?!\s+of)"
        r"|(?:the\s+)?end\s+of\s+(?:the|to|)\s*day|close\s+of\s+business|end\s+of\s+business|close\s+of\s+play"
        r"|EOD|COB|EOB|EOM|EOQ|EOY|EOW)\b",
    ),
    _rule(
        "fiscal_year",
        rf"""(?:the\s+)?{POSITION_PREFIX}(?:(?P<det>this|last|next|the\s+current|current|the\s+previous|the\s+coming|the|its)\s+)?
        (?P<federal>(?:US\s+|U\.S\.\s+)?(?:federal|government|state|budget)\s+)?(?P<kind>fiscal|financial)\s+year
        (?:\s+(?P<year>{YEAR})(?![\w%]))?""",
    ),
)

RULE_PRIORITY = {rule.name: index for index, rule in enumerate(RULES)}

# A rule only runs when one of its trigger words occurs in the text: most news texts lack
# most of them, and skipping a pattern is far cheaper than scanning with it (see bench/).
_MONTH_WORDS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
_UNIT_WORDS = (
    "second seconds sec secs minute minutes min mins hour hours hr hrs day days night nights "
    "week weeks wk wks "
    "fortnight fortnights month months quarter quarters year years yr yrs decade decades "
    "century centuries millennium millennia"
)
_SEASON_WORDS = "spring summer autumn fall winter"
RULE_TRIGGERS: dict[str, frozenset[str]] = {
    name: frozenset(words.split())
    for name, words in {
        "day_range": _MONTH_WORDS,
        "month_day": _MONTH_WORDS,
        "day_month": _MONTH_WORDS,
        "month_year": _MONTH_WORDS,
        "month": _MONTH_WORDS,
        "quarter": "quarter q1 q2 q3 q4",
        "anchored_period": "quarter period ago earlier months",
        "half": "half h1 h2 quarters",
        "century": "century",
        "relday": "today tonight tomorrow yesterday night overnight this morning afternoon evening"
        " midmorning midafternoon " + " ".join(INFORMAL_DAYS),
        "weekday": "monday tuesday wednesday thursday friday saturday sunday tues thurs"
        " mon tue wed weds thu thur fri sat sun",
        "weekend": "weekend",
        "relperiod": "week wk month year quarter decade century " + _SEASON_WORDS,
        "season": _SEASON_WORDS,
        "holiday": HOLIDAY_TRIGGERS,
        "ago": "ago earlier later before after now hence back previously since prior",
        "anaphoric_day": "next following previous preceding same that before after earlier later",
        "duration": _UNIT_WORDS,
        "bare_units": _UNIT_WORDS,
        "spelled_year": "nineteen eighteen thousand",
        "new_year": "year month end close eod cob eob eom eoq eoy eow",
        "counted_weekday": "ago now hence back",
        "dom_of_month": "month",
        "position_quarter": "q1 q2 q3 q4",
        "clock_words": "past to after before till",
        "fiscal_year": "fiscal financial",
        "recess": "recess break rises rise breaks adjourns leaves leave",
        "ordinal_part": "first second third fourth fifth last final 1st 2nd 3rd 4th 5th",
    }.items()
}
