import pytest

from aiops.chunking import chunk_lines, chunk_markdown

pytestmark = pytest.mark.unit

DOC = """# Dolibarr

Intro line.

## Redeploy

Step one.
Step two.

```bash
# not a heading, a shell comment
docker compose up -d
```

## Rollback
### Details

Put the old tag back.
"""


def lines_of(text: str, number: int) -> str:
    return text.split("\n")[number - 1]


def test_markdown_sections_keep_heading_path_and_line_range():
    chunks = chunk_markdown(DOC, max_chars=2000)
    assert [c.heading for c in chunks] == ["Dolibarr", "Dolibarr > Redeploy", "Dolibarr > Rollback > Details"]
    redeploy = chunks[1]
    assert (redeploy.start_line, redeploy.end_line) == (5, 13)
    assert lines_of(DOC, 13) == "```"
    assert "# not a heading" in redeploy.text
    assert lines_of(DOC, redeploy.start_line) == "## Redeploy"


def test_heading_followed_directly_by_a_subheading_is_not_a_chunk_alone():
    chunks = chunk_markdown(DOC, max_chars=2000)
    assert all(c.text.strip() not in {"## Rollback"} for c in chunks)
    assert chunks[-1].text.startswith("## Rollback")


def test_large_sections_split_by_size_with_exact_line_numbers():
    body = "\n".join(f"line {n} " + "x" * 50 for n in range(1, 101))
    chunks = chunk_lines(body.split("\n"), max_chars=600, overlap=0)
    assert len(chunks) > 5
    assert chunks[0].start_line == 1
    for c in chunks:
        assert c.text.split("\n")[0].startswith(f"line {c.start_line} ")
        assert c.text.split("\n")[-1].startswith(f"line {c.end_line} ")
        assert len(c.text) <= 600
    assert chunks[-1].end_line == 100


def test_overlap_repeats_lines_and_always_progresses():
    chunks = chunk_lines([f"l{n}" for n in range(30)], max_chars=20, overlap=2)
    assert chunks[1].start_line <= chunks[0].end_line
    assert [c.start_line for c in chunks] == sorted({c.start_line for c in chunks})


def test_a_line_longer_than_the_limit_is_cut_not_dropped():
    chunks = chunk_lines(["short", "y" * 2500, "end"], max_chars=1000)
    long_parts = [c for c in chunks if c.start_line == 2]
    assert "".join(c.text for c in long_parts) == "y" * 2500
    assert chunks[-1].text == "end"
