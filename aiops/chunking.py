"""Splitting files into chunks that keep their line range and, for Markdown, their heading path."""

from __future__ import annotations

import re

from pydantic import BaseModel

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


class Chunk(BaseModel):
    text: str
    start_line: int
    end_line: int
    heading: str = ""


def chunk_lines(
    lines: list[str], *, first_line: int = 1, max_chars: int, overlap: int = 0, heading: str = ""
) -> list[Chunk]:
    """Consecutive lines up to ``max_chars``; a single longer line is cut into pieces."""
    chunks: list[Chunk] = []
    start = 0
    while start < len(lines):
        size = 0
        end = start
        while end < len(lines) and (end == start or size + len(lines[end]) + 1 <= max_chars):
            size += len(lines[end]) + 1
            end += 1
        piece = lines[start:end]
        line_number = first_line + start
        if len(piece) == 1 and len(piece[0]) > max_chars:
            for offset in range(0, len(piece[0]), max_chars):
                chunks.append(
                    Chunk(
                        text=piece[0][offset : offset + max_chars],
                        start_line=line_number,
                        end_line=line_number,
                        heading=heading,
                    )
                )
        elif "".join(piece).strip():
            # Line numbers of the first and last non-blank lines: what a citation points at.
            top = next(i for i, line in enumerate(piece) if line.strip())
            bottom = max(i for i, line in enumerate(piece) if line.strip())
            chunks.append(
                Chunk(
                    text="\n".join(piece[top : bottom + 1]),
                    start_line=line_number + top,
                    end_line=line_number + bottom,
                    heading=heading,
                )
            )
        if end >= len(lines):
            break
        start = max(end - overlap, start + 1)
    return chunks


def chunk_markdown(text: str, *, max_chars: int, overlap: int = 0) -> list[Chunk]:
    """One chunk per section (heading and its body), large sections split by size.

    A heading directly followed by a sub-heading is not a chunk of its own: it stays in the
    heading path of what follows. Headings inside code fences are code, not structure.
    """
    lines = text.split("\n")
    stack: list[tuple[int, str]] = []
    sections: list[tuple[int, int, str]] = []  # (start index, end index exclusive, heading path)
    section_start = 0
    section_heading = ""
    has_body = False
    in_fence = False

    for index, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(line)
        if match is None:
            if line.strip():
                has_body = True
            continue
        if has_body:
            sections.append((section_start, index, section_heading))
            section_start = index
        level, title = len(match.group(1)), match.group(2).strip()
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, title))
        section_heading = " > ".join(title for _, title in stack)
        has_body = False
    sections.append((section_start, len(lines), section_heading))

    chunks: list[Chunk] = []
    for start, end, heading in sections:
        chunks.extend(
            chunk_lines(lines[start:end], first_line=start + 1, max_chars=max_chars, overlap=overlap,
                        heading=heading)
        )
    return chunks
