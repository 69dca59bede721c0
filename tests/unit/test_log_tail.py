import os

import pytest

from tools.log_tail import LogFollower

pytestmark = pytest.mark.unit


def test_follows_new_complete_lines_across_rotation_and_truncation(tmp_path):
    log = tmp_path / "error.log"
    log.write_text("one\ntwo\n")
    follower = LogFollower(log)
    assert follower.read_new() == ["one", "two"]
    assert follower.read_new() == []
    with log.open("a") as handle:
        handle.write("three\nfou")
    assert follower.read_new() == ["three"]
    with log.open("a") as handle:
        handle.write("r\n")
    assert follower.read_new() == ["four"]
    os.rename(log, tmp_path / "error.log.1")
    assert follower.read_new() == []
    log.write_text("after rotation\n")
    assert follower.read_new() == ["after rotation"]
    log.write_text("")
    log.write_text("truncated\n")
    assert follower.read_new() == ["truncated"]
