"""Logging: JSON lines (structlog) with the request and correlation ids of the request being
served, or plain text (TRACEGRAPH_LOG_FORMAT=text). Standard-library loggers (uvicorn, the
Neo4j driver, ours) go through the same formatter."""
from __future__ import annotations

import json
import logging
import sys

import orjson
import structlog

from core.settings import Settings
from tracegraph.audit.service import current_request_id


def _ids(_, __, event: dict) -> dict:
    request_id = current_request_id.get()
    if request_id is not None:
        event.setdefault("request_id", request_id)
    return event


def _dumps(event: dict, **_) -> str:
    """orjson for the line every request writes (a third of json.dumps' time); the stdlib for
    what orjson refuses (e.g. integers beyond 64 bits)."""
    try:
        return orjson.dumps(event, default=str, option=orjson.OPT_NON_STR_KEYS).decode()
    except (orjson.JSONEncodeError, TypeError):
        return json.dumps(event, default=str)


class _Stderr(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (redirections and test captures included)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def configure(settings: Settings) -> None:
    shared = [structlog.contextvars.merge_contextvars, _ids, structlog.stdlib.add_log_level,
              structlog.stdlib.add_logger_name, structlog.processors.TimeStamper(fmt="iso", utc=True)]
    logging._srcfile = None  # no caller lookup per record: nothing renders file or line (the access log's cost)
    render = (structlog.processors.JSONRenderer(serializer=_dumps) if settings.log_format == "json"
              else structlog.dev.ConsoleRenderer(colors=False))
    structlog.configure(processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
                        logger_factory=structlog.stdlib.LoggerFactory(), cache_logger_on_first_use=True)
    handler = _Stderr()
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*shared, structlog.stdlib.ExtraAdder()],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info, render]))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
