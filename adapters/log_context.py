"""What every log line may carry: the current request id, and tracebacks scrubbed of values."""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable
from concurrent.futures import Executor, Future
from contextvars import ContextVar, copy_context
from typing import Any, TypeVar

T = TypeVar("T")

# Set by the HTTP middleware for the duration of a request; provider pool threads receive it
# through copy_context() (see submit_in_context), so their log lines name the request too.
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

# A query string with at least one k=v pair (absolute or relative URL): keys travel there.
_QUERY = re.compile(r"\?[\w.~%$\-\[\]]+=[^\s'\"<>]*")
# SQLAlchemy's "[parameters: ...]" line (also printed with hide_parameters=False).
_SQL_PARAMS = re.compile(r"^\[parameters: .*$\n?", re.MULTILINE)


def submit_in_context(pool: Executor, fn: Callable[..., T], *args: Any) -> Future[T]:
    """pool.submit(fn, *args) running inside a copy of the caller's contextvars."""
    return pool.submit(copy_context().run, fn, *args)


def scrub(text: str) -> str:
    """Text with URL query strings and SQL parameter lists replaced by a placeholder."""
    return _QUERY.sub("?<oculto>", _SQL_PARAMS.sub("[parameters: <ocultos>]\n", text))


def safe_traceback(exc: BaseException) -> str:
    """The traceback of `exc` (and its causes) with query strings and SQL parameters removed.

    Frames show file, line, function and source line: code, never runtime values.
    """
    lines = traceback.format_exception(type(exc), exc, exc.__traceback__)
    return scrub("".join(lines)).rstrip("\n")
