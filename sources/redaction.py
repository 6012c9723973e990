"""Pure: hide the password of `scheme://user:password@host` URLs wherever they are shown.

A source URL may carry credentials for a partner's protected feed. The stored URL keeps
them (the fetcher needs them); everything a person or a log collector reads gets the
redacted form `https://user:***@host/feed`: the admin, exports, command output and every
log record (`install_log_redaction`, called from `SourcesConfig.ready`).
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit, urlunsplit

MASK = "***"

# `scheme://` then a user-info part ending in `@` before the host. The user-info holds no
# `/`, `?`, `#`, `@` or white space (RFC 3986 section 3.2.1); a password may be empty.
_USERINFO_RE = re.compile(
    r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*://)(?P<user>[^\s/?#@:\"'<>]*)"
    r"(?P<password>:[^\s/?#@\"'<>]*)?@"
)


def _mask(match: re.Match) -> str:
    user = match["user"]
    if match["password"] is None:
        # `https://token@host/`: a bare user-info is often the secret itself (API tokens).
        return f"{match['scheme']}{MASK}@" if user else match[0]
    return f"{match['scheme']}{user}:{MASK}@"


def redact_url(url: str) -> str:
    """`url` with its password (or a bare user-info token) replaced by `***`.

    >>> redact_url("https://reader:s3cret@feeds.example.org/news.xml")
    'https://reader:***@feeds.example.org/news.xml'
    """
    if not url or "@" not in url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return redact_text(url)
    if "@" not in parts.netloc:
        return url
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user, colon, _password = userinfo.partition(":")
    shown = f"{user}:{MASK}" if colon else (MASK if user else "")
    return urlunsplit(parts._replace(netloc=f"{shown}@{hostport}"))


def redact_text(text: str) -> str:
    """`text` (an error message, a log line) with the password of every URL in it hidden."""
    if not text or "@" not in text or "://" not in text:
        return text
    return _USERINFO_RE.sub(_mask, text)


def has_credentials(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return "@" in parts.netloc


# --- Logs -------------------------------------------------------------------------------

_formatter = logging.Formatter()


def redact_record(record: logging.LogRecord) -> None:
    """Rewrite `record` in place so no handler can show a URL's password."""
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: leave it for logging's own error report
        return
    redacted = redact_text(message)
    if redacted != message:
        record.msg, record.args = redacted, None
    if record.exc_info and not record.exc_text:
        # Formatter.format reuses exc_text: format the traceback now, redacted.
        text = _formatter.formatException(record.exc_info)
        record.exc_text = redact_text(text)
    if record.stack_info:
        record.stack_info = redact_text(record.stack_info)


def install_log_redaction() -> None:
    """Wrap the log record factory so every record, from any logger, is redacted.

    A factory (rather than a handler filter) also covers handlers added later: Celery's,
    pytest's caplog, a deployment's own. Installing twice is harmless.
    """
    previous = logging.getLogRecordFactory()
    if getattr(previous, "redacts_credentials", False):
        return

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        redact_record(record)
        return record

    factory.redacts_credentials = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
