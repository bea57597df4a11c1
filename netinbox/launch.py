"""The `netinbox` script (and `python -m netinbox`): opens the app without loading click
when the command line holds only the app's own options, and hands everything else to the
click command, `netinbox.cli.main`, unchanged.

The shortcut is exact or not taken: `app_options` accepts only what click would read the
same way (`tests/test_launch.py` holds the two to each other), and declines anything else
— a command, `--help`, `--version`, an unknown option, a missing or empty value, a path
click's `Path` type would refuse — so that click says its own words and exit codes.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

AppOptions = tuple[Path | None, bool, tuple[Path, ...]]
"""The app's options as click gives them to `netinbox.cli.main`: db_path, demo,
watch_paths."""


def main() -> None:
    options = app_options(sys.argv[1:], os.environ)
    if options is None:
        from netinbox.cli import main as command

        command()
        return
    from netinbox.i18n import _, speaking_to_libraries
    from netinbox.starting import choose_language, open_app, tell

    choose_language()  # as `netinbox.cli.WordsGroup.main` does before reading the line
    with speaking_to_libraries():
        try:
            open_app(*options)
        except EOFError:  # as click's own `main` says it
            tell("")
            tell(_("Aborted!"))
            sys.exit(1)


def app_options(args: Sequence[str], environ: Mapping[str, str]) -> AppOptions | None:
    """What click's parse of `args` (and NETINBOX_DB) gives the app, if `args` is only
    `--db PATH`, `--demo` and `--watch PATH` (each as `--opt=value` too; --watch
    repeatable) in any order, or nothing; None for anything else."""
    if os.name == "nt":  # click expands wildcards in the arguments there
        return None
    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in environ):
        return None  # click's shell completion (_NETINBOX_COMPLETE)
    db: str | None = None
    demo = False
    watch: list[str] = []
    rest = list(args)
    while rest:
        token = rest.pop(0)
        if token == "--demo":
            demo = True
            continue
        name, equals, value = token.partition("=")
        if name not in ("--db", "--watch"):
            return None
        if not equals:
            if not rest:
                return None
            value = rest.pop(0)
        if not value or value.startswith("-"):
            return None
        if name == "--watch":
            watch.append(value)
        elif db is None:
            db = value
        else:  # click takes the last one; not worth a rule of our own
            return None
    if db is None:
        db = environ.get("NETINBOX_DB")
        if db == "":  # click reads it as unset; left to click
            return None
    if db is not None and not _a_path_click_takes(db, dir_okay=False):
        return None
    if not all(_a_path_click_takes(path, dir_okay=True) for path in watch):
        return None
    return (Path(db) if db is not None else None, demo, tuple(Path(path) for path in watch))


def _a_path_click_takes(value: str, *, dir_okay: bool) -> bool:
    """Whether click's `Path(dir_okay=…)` (not required to exist, readable) takes
    `value`: a path that cannot be looked at is taken as it is; one that exists must be
    readable, and no folder where a file is asked for."""
    try:
        found = os.stat(value)
    except OSError:
        return True
    except ValueError:  # a NUL in it: click would not get this far
        return False
    if not dir_okay and stat.S_ISDIR(found.st_mode):
        return False
    return os.access(value, os.R_OK)
