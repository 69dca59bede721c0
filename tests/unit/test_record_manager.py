import pytest

from tools.record_manager import SQLiteRecordManager

pytestmark = pytest.mark.unit


def test_records_are_per_namespace_and_survive_a_new_instance(tmp_path):
    path = tmp_path / "records.sqlite"
    first = SQLiteRecordManager("tree-a", path)
    first.create_schema()
    first.update(["k1", "k2"], group_ids=["a.md", "b.md"])
    other = SQLiteRecordManager("tree-b", path)
    other.create_schema()
    other.update(["k1"])
    again = SQLiteRecordManager("tree-a", path)
    assert again.exists(["k1", "k2", "k3"]) == [True, True, False]
    assert sorted(again.list_keys()) == ["k1", "k2"]
    assert again.list_keys(group_ids=["b.md"]) == ["k2"]
    again.delete_keys(["k1"])
    assert again.exists(["k1"]) == [False]
    assert other.exists(["k1"]) == [True]


def test_list_keys_by_time_finds_what_a_run_did_not_touch(tmp_path):
    manager = SQLiteRecordManager("ns", tmp_path / "r.sqlite")
    manager.create_schema()
    manager.update(["old"])
    start = manager.get_time()
    manager.update(["new"], time_at_least=start)
    assert manager.list_keys(before=start) == ["old"]
    assert manager.list_keys(after=start) == ["new"]


def test_mismatched_groups_are_refused(tmp_path):
    manager = SQLiteRecordManager("ns", tmp_path / "r.sqlite")
    manager.create_schema()
    with pytest.raises(ValueError, match="same length"):
        manager.update(["a", "b"], group_ids=["x"])
