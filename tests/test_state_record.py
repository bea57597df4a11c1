"""The state folder's small records are written whole or not at all."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from netinbox import state_record


def test_a_record_is_written_whole_in_a_private_new_folder(tmp_path: Path) -> None:
    target = tmp_path / "state" / "netinbox" / "checked.json"
    assert state_record.save(target, {"a": [1, 2]})
    assert json.loads(target.read_text(encoding="utf-8")) == {"a": [1, 2]}
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    assert state_record.save(target, {"b": 3})  # replaced, nothing left beside it
    assert json.loads(target.read_text(encoding="utf-8")) == {"b": 3}
    assert [p.name for p in target.parent.iterdir()] == ["checked.json"]


def test_a_folder_that_cannot_be_made_says_so_and_raises_nothing(tmp_path: Path) -> None:
    blocked = tmp_path / "state"
    blocked.write_text("a file where the folder should be", encoding="utf-8")
    assert not state_record.save(blocked / "checked.json", {"a": 1})
    assert blocked.read_text(encoding="utf-8") == "a file where the folder should be"


def test_data_that_is_not_json_leaves_no_half_record(tmp_path: Path) -> None:
    target = tmp_path / "watched.json"
    assert state_record.save(target, {"old": 1})
    with pytest.raises(TypeError):
        state_record.save(target, {"new": object()})
    assert json.loads(target.read_text(encoding="utf-8")) == {"old": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["watched.json"]
