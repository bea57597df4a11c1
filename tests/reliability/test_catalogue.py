"""The suite covers the catalogue: every case of the fault catalogue (A–E, docs/reliability.md) has a test here
(named `test_<id>_…`, e.g. `test_a7_…`), or is listed below with why it cannot run here.
A new case in the catalogue needs a test, or a reason, before this passes.
"""

from __future__ import annotations

import re
from pathlib import Path

CATALOGUE = {"a": 20, "b": 12, "c": 24, "d": 5, "e": 7}

NOT_HERE = {
    "a13": "a network or sync-folder store: no NFS/SMB mount on a test machine, and netinbox "
    "has no such check yet",
    "b6": "homoglyph names (Cyrillic 'а' in 'Mаx'): the catalogue makes flagging them "
    "optional, and netinbox does not promise it",
}

_ID = re.compile(r"_([a-e]\d{1,2})(?=_)")


def covered() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted(Path(__file__).parent.glob("test_*.py")):
        for name in re.findall(r"^(?:async )?def (test_\w+)", path.read_text(), re.M):
            for case in _ID.findall(name[4:]):
                found.setdefault(case, []).append(f"{path.name}::{name}")
    return found


def test_every_catalogue_case_is_tested_or_says_why_not() -> None:
    cases = {f"{section}{n}" for section, count in CATALOGUE.items() for n in range(1, count + 1)}
    tested = covered()
    missing = sorted(cases - set(tested) - set(NOT_HERE), key=lambda c: (c[0], int(c[1:])))
    assert not missing, f"catalogue cases with neither a test nor a reason: {missing}"
    assert not set(NOT_HERE) & set(tested), "a case listed as untestable has a test now"
    assert set(tested) <= cases, f"tests name cases the catalogue lacks: {set(tested) - cases}"
