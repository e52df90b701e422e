"""Structured logs: one JSON object per line, so a turn's kind, confidence and latency are queryable.

One line whatever the text: JSON escapes the control characters, and the Unicode line breaks it
leaves alone (U+0085, U+2028, U+2029: str.splitlines and many log viewers split on them) are escaped
here. A client's malformed HTTP is its problem, not ours: aiohttp logs it at ERROR with a traceback
for every request; ClientErrorsAtInfo makes that one INFO line without the traceback.
"""

from __future__ import annotations

import json
import logging
import sys
import time

from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.web_protocol import RequestPayloadError

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}
_LINE_BREAKS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_CLIENT_ERRORS = (HttpProcessingError, RequestPayloadError)


def one_line(text: str) -> str:
    """JSON text with the Unicode line breaks JSON allows raw written as escapes (same JSON value)."""
    for raw, escaped in _LINE_BREAKS.items():
        if raw in text:
            text = text.replace(raw, escaped)
    return text


class ClientErrorsAtInfo(logging.Filter):
    """aiohttp's "Error handling request" for a malformed request (bad HTTP, an undecodable body):
    INFO, with the error's type instead of a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if record.levelno >= logging.ERROR and isinstance(error, _CLIENT_ERRORS):
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.msg, record.args = "bad request: %s", (type(error).__name__,)
            record.exc_info = record.exc_text = None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        data.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return one_line(json.dumps(data, default=str, ensure_ascii=False))


def configure_logging(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # The SDK's HTTP clients are chatty at INFO and may log URLs with ids.
    for noisy in ("aiohttp.access", "msrest", "msal", "azure", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    quiet_client_errors()


def quiet_client_errors() -> None:
    """Install ClientErrorsAtInfo on aiohttp's server log (once)."""
    server_log = logging.getLogger("aiohttp.server")
    if not any(isinstance(f, ClientErrorsAtInfo) for f in server_log.filters):
        server_log.addFilter(ClientErrorsAtInfo())
