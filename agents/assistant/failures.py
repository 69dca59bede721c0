"""Reading a run's log: which step failed, and the line that says why."""

from __future__ import annotations

import re

from pydantic import BaseModel

_STEP = re.compile(r"==>\s*step:\s*([\w.\-/]+)|^\s*(?:step|stage)[: ]+([\w.\-/]+)\s*$|Running step\s+([\w.\-/]+)",
                   re.IGNORECASE)
_STEP_FAILED = re.compile(r"step\s+([\w.\-/]+)\s+failed", re.IGNORECASE)
_STRONG_ERROR = re.compile(r"\b(ERROR|FATAL|Fatal|Traceback|Exception|CRITICAL|panic)\b")
_WEAK_ERROR = re.compile(r"\b(failed|denied|no space left|timed out|refused|error)\b", re.IGNORECASE)


class Failure(BaseModel):
    step: str | None
    error_line: str | None


def find_failure(lines: list[str]) -> Failure:
    """The failing step (explicit "step X failed", else the step open at the first error) and that error."""
    current: str | None = None
    strong: tuple[str | None, str] | None = None
    weak: tuple[str | None, str] | None = None
    for line in lines:
        if explicit := _STEP_FAILED.search(line):
            found = strong or weak
            return Failure(step=explicit.group(1), error_line=found[1] if found else line.strip())
        if match := _STEP.search(line):
            current = next(group for group in match.groups() if group)
            continue
        if strong is None and _STRONG_ERROR.search(line):
            strong = (current, line.strip())
        elif weak is None and _WEAK_ERROR.search(line):
            weak = (current, line.strip())
    found = strong or weak
    return Failure(step=found[0], error_line=found[1]) if found else Failure(step=None, error_line=None)
