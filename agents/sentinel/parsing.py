"""nginx log lines to events: the error-log format and the default combined access-log format.

Written for speed (the Sentinel reads millions of lines): plain regexes, tuples, no validation
library in the loop. A line that is neither format is counted and sampled by the caller.
"""

from __future__ import annotations

import re
from typing import NamedTuple


class LogEvent(NamedTuple):
    kind: str  # "error" or "access"
    time: str
    level: str  # error-log level, or the HTTP status class ("4xx") for access lines
    message: str
    client: str
    server: str
    request: str
    method: str
    path: str
    status: int
    upstream: str
    host: str
    referrer: str
    user_agent: str
    raw: str


def parse_line(line: str) -> LogEvent | None:
    """One line of an nginx error log or combined access log, or None.

    String methods rather than one big regex: this runs on every line, and C-level splits and
    finds are several times faster than a backtracking pattern with optional groups.
    """
    line = line.rstrip("\r\n")
    if len(line) > 24 and line[4] == "/" and line[7] == "/" and line[19:21] == " [":
        return _parse_error(line)
    return _parse_access(line)


def _parse_error(line: str) -> LogEvent | None:
    close = line.find("] ", 21)
    colon = line.find(": ", close) if close > 0 else -1
    if colon < 0 or not line[:4].isdigit():
        return None
    level = line[21:close]
    start = colon + 2
    if line.startswith("*", start):
        space = line.find(" ", start)
        start = space + 1 if space > 0 else start
    cut = line.find(", client: ", start)
    if cut < 0:
        return LogEvent("error", line[:19], level, line[start:], "", "", "", "", "", 0, "", "", "", "", line)
    request = _quoted(line, ', request: "', cut)
    method, path = _method_path(request)
    return LogEvent("error", line[:19], level, line[start:cut], _bare(line, ", client: ", cut),
                    _bare(line, ", server: ", cut), request, method, path, 0, _quoted(line, ', upstream: "', cut),
                    _quoted(line, ', host: "', cut), _quoted(line, ', referrer: "', cut), "", line)


def _bare(line: str, key: str, start: int) -> str:
    """An unquoted context value (client, server): up to the next ", "."""
    at = line.find(key, start)
    if at < 0:
        return ""
    begin = at + len(key)
    end = line.find(", ", begin)
    return line[begin:] if end < 0 else line[begin:end]


def _quoted(line: str, key: str, start: int) -> str:
    """A quoted context value (request, upstream, host, referrer); nginx escapes quotes inside as \\x22."""
    at = line.find(key, start)
    if at < 0:
        return ""
    begin = at + len(key)
    end = line.find('"', begin)
    return line[begin:] if end < 0 else line[begin:end]


def _parse_access(line: str) -> LogEvent | None:
    parts = line.split('"')
    if len(parts) < 3:
        return None
    head = parts[0]
    bracket = head.find(" [")
    after = parts[2].split(None, 2)
    if bracket < 0 or not head.endswith("] ") or not after or len(after[0]) != 3 or not after[0].isdigit():
        return None
    fields = head[:bracket].split()
    if len(fields) < 3:
        return None
    request = parts[1]
    method, path = _method_path(request)
    status = int(after[0])
    return LogEvent("access", head[bracket + 2 : -2], f"{status // 100}xx", "", fields[-3], "", request, method,
                    path, status, "", "", parts[3] if len(parts) > 3 else "", parts[5] if len(parts) > 5 else "",
                    line)


def _method_path(request: str) -> tuple[str, str]:
    method, space, rest = request.partition(" ")
    if not space or not method.isalpha() or not method.isupper() or len(method) > 10:
        return "", request
    path, _, protocol = rest.rpartition(" ")
    return (method, path) if protocol.startswith("HTTP/") else (method, rest)


_QUOTED = re.compile(r'"[^"]*"')
# Numbers, dotted numbers (addresses, versions), hex: masked. An error code such as the 2 in
# "(2: No such file...)" stays, so that "(2: ...)" and "(13: Permission denied)" remain distinct.
_VARIABLE = re.compile(r"(?<![A-Za-z0-9(])\d+(?:\.\d+)*|(?<=\()\d+(?![\d:])|0x[0-9a-fA-F]+")


def template_of(event: LogEvent) -> str:
    """The message with its variable parts masked: quoted strings, numbers, addresses."""
    if event.kind == "access":
        return f"{event.method or '<none>'} <path> {event.status}"
    return _VARIABLE.sub("<N>", _QUOTED.sub('"<*>"', event.message))
