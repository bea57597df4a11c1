"""The end-to-end figures: the real `netinbox` command in a real terminal, against bare apps.

Every step is timed from just before its key is written to the terminal until the screen
(as `pyte` reads it) shows the step's *result*, the settled screen a person waits for:

- start: the complete first screen: the first page of the list, the first row's profile
  (its name on the profile's first line) and the draft pane (its text or placeholder);
- a cursor key: the new row's profile;
- a view key: the view's title with its exact count and its first row in the list;
- search: the list's title `<view> · <count> · searched` with the count the same question
  asked by hand gives, and its first result in the list.

Before each key the app has been quiet (no output) for `terminal.QUIET` seconds. A step whose
screen does not show its result within the timeout ends the session ("did not settle in
N s", with what the screen showed); the next step starts a fresh app.

Floors, in the same terminal harness: a bare Textual app with one `Static` (start,
memory) and a bare 100-row `DataTable` (`bare.py`) whose cursor moves (keys: the result
is the cursor's highlight on the new row) or whose rows are replaced by another view's
first page (view keys: its border title and first row).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.expect import LIST_CHARS, PROFILE_CHARS, Expect, ViewShown, Words
from benchmarks.terminal import Exited, Terminal, Unsettled, key, pane_line, pane_title

ROOT = Path(__file__).resolve().parent.parent
FLOOR_TEXT = "netinbox benchmark floor"
HOLD_KEYS, HOLD_RATE = 30, 30.0  # a held key: 30 repeats at 30 per second
DEADLINE_VIEWS = ("awaiting", "overdue")  # their members change as time passes
SAID = Words()
"""The app's words the harness reads (panes' titles …), in the language it runs in
(`programs`)."""


# --- the programs ----------------------------------------------------------------------------


def netinbox_command() -> list[str]:
    """The installed `netinbox` script of this Python (not a shim in front of it), run as
    the user runs it."""
    beside = Path(sys.executable).parent / "netinbox"
    found = str(beside) if beside.exists() else shutil.which("netinbox")
    if found is None:
        raise RuntimeError("no `netinbox` command installed for this Python")
    return [found]


def child_env(folder: Path, language: str = "en") -> dict[str, str]:
    """This environment, with the checkout under test first on the path and no user config
    (but for another `language` than English, a config file that says it: what a user
    does), its state (the checks netinbox remembers) in `folder`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TEXTUAL", "NETINBOX", "LC_", "LANG"))
        and k not in ("COLUMNS", "LINES")
    }
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    config = folder / "config" if language == "en" else folder / f"config-{language}"
    if language != "en":
        (config / "netinbox").mkdir(parents=True, exist_ok=True)
        (config / "netinbox" / "config.toml").write_text(f'language = "{language}"\n', "utf-8")
    env["XDG_CONFIG_HOME"] = str(config)
    env["XDG_DATA_HOME"] = str(folder / "data")
    env["XDG_STATE_HOME"] = str(folder / "state")
    return env


def compile_bytecode() -> None:
    """Byte-compile the checkout under test, as `pip install` does: with
    PYTHONDONTWRITEBYTECODE set (as on these machines) it would be compiled afresh on every
    launch, which no installed copy does."""
    import compileall

    compileall.compile_dir(ROOT / "netinbox", quiet=1)
    compileall.compile_dir(ROOT / "benchmarks", quiet=1)


@dataclass
class Programs:
    folder: Path
    store: Path  # the app's own copy of the store
    expect: Expect
    timeout: float
    env: dict[str, str] = field(default_factory=dict)
    command: list[str] = field(default_factory=list)

    def netinbox(self) -> Terminal:
        return Terminal([*self.command, "--db", str(self.store)], self.env, cwd=self.folder)

    def bare(self, kind: str, *arguments: str) -> Terminal:
        argv = [sys.executable, "-m", "benchmarks.bare", kind, *arguments]
        return Terminal(argv, self.env, cwd=ROOT)


def programs(folder: Path, store: Path, expect: Expect, timeout: float) -> Programs:
    """The app on its own copy of `store`, in `expect`'s language, and the floors."""
    global SAID
    SAID = expect.words
    app_store = folder / "app-store.db"
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(f"{app_store}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(store, app_store)
    compile_bytecode()
    return Programs(
        folder=folder,
        store=app_store,
        expect=expect,
        timeout=timeout,
        env=child_env(folder, expect.words.language),
        command=netinbox_command(),
    )


# --- samples -------------------------------------------------------------------------------


@dataclass
class Samples:
    """Milliseconds of one kind of step, and the first step that did not settle."""

    values: list[float] = field(default_factory=list)
    unsettled: str = ""
    skipped: int = 0  # steps whose result was on screen before the key (same name twice)
    early: int = 0  # searches that showed a shorter term's results while the term was typed
    skip_reason: str = "same name twice"

    def add(self, value: float) -> None:
        self.values.append(value)

    def fail(self, error: Exception) -> None:
        if not self.unsettled:
            self.unsettled = str(error)


class Recorder:
    """Samples by name, for one side."""

    def __init__(self) -> None:
        self.kinds: dict[str, Samples] = {}

    def __getitem__(self, kind: str) -> Samples:
        return self.kinds.setdefault(kind, Samples())


def step(term: Terminal, keys: bytes, done: Callable[[Terminal], bool], what: str,
         samples: Samples, timeout: float) -> bool:  # fmt: skip
    """Time one key until `done`; False when its result was on screen already (not timed)."""
    term.quiet()
    if done(term):
        samples.skipped += 1
        return False
    started = term.press(keys)
    try:
        arrived = term.wait(done, timeout, what)
    except (Unsettled, Exited) as error:
        samples.fail(error)
        error.noted = True  # type: ignore[attr-defined]
        raise
    samples.add((arrived - started) * 1000)
    return True


def move(term: Terminal, keys: bytes, done: Callable[[Terminal], bool], what: str,
         timeout: float) -> None:  # fmt: skip
    """An untimed move (a burst of keys) to where the next timed steps start."""
    term.quiet()
    term.press(keys)
    term.wait(done, timeout, what)
    term.quiet()


# --- what the screen shows -----------------------------------------------------------------


def _left(term: Terminal) -> str:
    """The list's side of the screen (left of the profile pane)."""
    screen = term.screen()
    found = pane_title(screen, SAID.profile)
    width = found[1] if found else len(screen[0])
    return "\n".join(line[:width] for line in screen)


def shows_name(line: str | None, name: str) -> bool:
    """The profile's first line is this name (not a longer one it begins, "Anna Weber-…")."""
    if line is None:
        return False
    if len(name) > PROFILE_CHARS:
        return line.startswith(name[:PROFILE_CHARS])
    return line == name or line.startswith(name + " ")


def profile_is(name: str) -> Callable[[Terminal], bool]:
    def done(term: Terminal) -> bool:
        return shows_name(pane_line(term.screen(), SAID.profile), name)

    return done


def first_screen(expect: Expect) -> Callable[[Terminal], bool]:
    """The first page, the first row's profile and the draft pane."""
    view = expect.first_view
    name = expect.names[0] if expect.names else None
    profile = profile_is(name) if name else None

    def done(term: Terminal) -> bool:
        screen = term.screen()
        if pane_title(screen, view.title) is None:
            return False
        if name is None or profile is None:
            return True
        draft = pane_line(screen, SAID.draft)
        return (
            name[:LIST_CHARS] in _left(term)
            and profile(term)
            and draft is not None
            and draft.startswith(expect.draft)
        )

    return done


def _count_ok(view: ViewShown, shown: int) -> bool:
    if view.name in DEADLINE_VIEWS:  # a deadline may pass during the run
        return abs(shown - view.count) <= max(5, view.count // 100)
    return shown == view.count


def view_shown(view: ViewShown, searched: int | None = None, first: str | None = None,
               rows: bool = True) -> Callable[[Terminal], bool]:  # fmt: skip
    """The view's title with its exact count (or a search's), and its first row (unless
    not `rows`: a cleared search keeps the cursor on its request, wherever that is)."""
    searched_word = " · " + SAID.searched if searched is not None else ""
    pattern = re.compile(re.escape(view.title) + r" · (\d+)" + re.escape(searched_word) + "$")
    names = [first] if searched is not None else view.firsts

    def done(term: Terminal) -> bool:
        found = pane_title(term.screen(), view.title)
        if found is None:
            return False
        match = pattern.match(found[2])
        if match is None:
            return False
        shown = int(match.group(1))
        if searched is not None:
            if shown != searched:
                return False
        elif not _count_ok(view, shown):
            return False
        wanted = [n for n in names if n] if rows else []
        return not wanted or any(n[:LIST_CHARS] in _left(term) for n in wanted)

    return done


def text_shown(text: str) -> Callable[[Terminal], bool]:
    return lambda term: any(text in line for line in term.screen())


class Cursor:
    """The bare table's cursor: the row whose `#` cell has the cursor's colours."""

    def __init__(self, term: Terminal) -> None:
        screen = term.screen()
        for row, line in enumerate(screen):
            column = line.find("0000")
            if column >= 0:
                self.column = column
                self.style = term.attributes(row, column)
                return
        raise RuntimeError("the bare table shows no row 0000")

    def row(self, term: Terminal) -> int | None:
        for number, line in enumerate(term.screen()):
            cell = line[self.column : self.column + 4]
            if cell.isdigit() and term.attributes(number, self.column) == self.style:
                return int(cell)
        return None

    def on(self, index: int) -> Callable[[Terminal], bool]:
        return lambda term: self.row(term) == index


# --- start ---------------------------------------------------------------------------------


def start_netinbox(p: Programs, samples: Samples) -> None:
    term = p.netinbox()
    try:
        arrived = term.wait(first_screen(p.expect), p.timeout, "the complete first screen")
        samples.add((arrived - term.started) * 1000)
    finally:
        term.close(quit_keys=None)  # killed: its store lock is an flock, freed at once


def start_bare(p: Programs, samples: Samples) -> None:
    term = p.bare("static", FLOOR_TEXT)
    try:
        arrived = term.wait(text_shown(FLOOR_TEXT), p.timeout, "its text")
        samples.add((arrived - term.started) * 1000)
    finally:
        term.close(quit_keys=None)


# --- cursor keys ---------------------------------------------------------------------------

KEY_KINDS = {
    "down": "↓ within the screen → that row's profile",
    "scroll": "↓ at the bottom, scrolling one row → that row's profile",
    "page": "↓ from row 99 to 100 (next page of rows) → its profile",
    "pagedown": "page down → the new row's profile",
    "G": "G, to the last row → its profile",
    "g": "g, to the first row → its profile",
    "held": "held ↓ (30 at 30/s) → the 30th row's profile, after the last key",
}


def keys_netinbox(p: Programs, rec: Recorder, n: int, holds: int) -> None:
    e, t = p.expect, p.timeout
    names, count = e.names, e.first_view.count
    down = key("down")
    term = p.netinbox()
    try:
        term.wait(first_screen(e), t, "the complete first screen")
        cursor = 0

        def go(index: int) -> None:
            nonlocal cursor
            if index < cursor:
                move(term, b"g", profile_is(names[0]), "g", t)
                cursor = 0
            if index > cursor:
                move(term, down * (index - cursor), profile_is(names[index]), f"row {index}", t)
                cursor = index

        for index in range(1, min(n + 1, len(names))):
            step(term, down, profile_is(names[index]), f"↓ to row {index}", rec["down"], t)
            cursor = index
        if len(names) > 41 + n:
            go(40)
            for index in range(41, 41 + n):
                step(term, down, profile_is(names[index]), f"↓ to row {index}", rec["scroll"], t)
                cursor = index
        if len(names) > 100:
            go(99)
            step(term, down, profile_is(names[100]), "↓ to row 100", rec["page"], t)
            cursor = 100
            for _ in range(n):
                ahead = names[cursor + 1 : cursor + 100]
                if len(ahead) < 60:
                    break
                shown = set(ahead) - {names[cursor]}

                def landed(term: Terminal, shown: set[str] = shown) -> bool:
                    line = pane_line(term.screen(), SAID.profile)
                    return any(shows_name(line, name) for name in shown)

                step(term, key("pagedown"), landed, "page down", rec["pagedown"], t)
                line = pane_line(term.screen(), SAID.profile)
                cursor = next((i for i in range(cursor + 1, cursor + 100)
                               if shows_name(line, names[i])), cursor + 1)  # fmt: skip
        if count > 1 and e.last != names[0]:
            for _ in range(n):
                step(term, b"G", profile_is(e.last), "G", rec["G"], t)
                step(term, b"g", profile_is(names[0]), "g", rec["g"], t)
            cursor = 0
        if len(names) > 20 + HOLD_KEYS:
            for _ in range(holds):
                go(20)
                term.quiet()
                last = term.type_keys([down] * HOLD_KEYS, 1 / HOLD_RATE)
                arrived = term.wait(profile_is(names[20 + HOLD_KEYS]), t, "the held key's row")
                rec["held"].add((arrived - last) * 1000)
                cursor = 20 + HOLD_KEYS
    finally:
        term.close(quit_keys=None)


def keys_bare(p: Programs, rec: Recorder, n: int, holds: int) -> None:
    t = p.timeout
    down = key("down")
    with p.bare("table", str(p.expect.pages)) as term:
        term.wait(text_shown("0000"), t, "the table")
        term.quiet()
        cursor_ = Cursor(term)
        rows = len(p.expect.names[:100]) or 100
        position = 0

        def go(index: int) -> None:
            nonlocal position
            if index < position:
                move(term, b"g", cursor_.on(0), "g", t)
                position = 0
            if index > position:
                move(term, down * (index - position), cursor_.on(index), f"row {index}", t)
                position = index

        for index in range(1, min(n + 1, rows)):
            step(term, down, cursor_.on(index), f"↓ to row {index}", rec["down"], t)
            position = index
        if rows > 41 + n:
            go(40)
            for index in range(41, 41 + n):
                step(term, down, cursor_.on(index), f"↓ to row {index}", rec["scroll"], t)
                position = index
        for number in range(n):  # page down and up by turns: 100 rows hold two pages
            before = position
            name = "pagedown" if number % 2 == 0 else "pageup"
            moved = lambda term, before=before: cursor_.row(term) not in (None, before)  # noqa: E731
            if step(term, key(name), moved, name, rec["pagedown"], t):
                position = cursor_.row(term) or 0
        for _ in range(n):
            step(term, b"G", cursor_.on(rows - 1), "G", rec["G"], t)
            step(term, b"g", cursor_.on(0), "g", rec["g"], t)
        position = 0
        if rows > 20 + HOLD_KEYS:
            for _ in range(holds):
                go(20)
                term.quiet()
                last = term.type_keys([down] * HOLD_KEYS, 1 / HOLD_RATE)
                arrived = term.wait(cursor_.on(20 + HOLD_KEYS), t, "the held key's row")
                rec["held"].add((arrived - last) * 1000)
                position = 20 + HOLD_KEYS


# --- view keys -----------------------------------------------------------------------------


def _visits(expect: Expect, cycles: int) -> list[tuple[ViewShown, bool]]:
    """Each view but the first once (first visits), then all of them `cycles` times."""
    first = [(v, True) for v in expect.views if v.key != expect.first_view.key]
    again = [(v, False) for _ in range(cycles) for v in expect.views]
    return first + again


def views_session(term: Terminal, p: Programs, rec: Recorder, cycles: int) -> None:
    for view, first in _visits(p.expect, cycles):
        kind = "first" if first else "again"
        step(term, view.key.encode(), view_shown(view), f"view {view.key}", rec[kind],
             p.timeout)  # fmt: skip


def views_netinbox(p: Programs, rec: Recorder, cycles: int) -> None:
    term = p.netinbox()
    try:
        term.wait(first_screen(p.expect), p.timeout, "the complete first screen")
        views_session(term, p, rec, cycles)
    finally:
        term.close(quit_keys=None)


def views_bare(p: Programs, rec: Recorder, cycles: int) -> None:
    with p.bare("table", str(p.expect.pages)) as term:
        term.wait(text_shown("0000"), p.timeout, "the table")
        views_session(term, p, rec, cycles)


# --- memory --------------------------------------------------------------------------------


def memory_netinbox(p: Programs, term_text: str, count: int, first: str | None) -> float:
    """Peak RSS (MB) after: the end of the list, every view, a search in All, help, palette.
    (All: the one view whose search was never slow, so this measures memory, not plans.)"""
    e, t = p.expect, p.timeout
    term = p.netinbox()
    try:
        term.wait(first_screen(e), t, "the complete first screen")
        move(term, b"G", profile_is(e.last), "G", t)
        every = next(view for view in e.views if view.name == "all")
        others = [view for view in e.views[1:] if view is not every]
        for view in [*others, e.views[0], every]:  # the first view's key first would not move
            move(term, view.key.encode(), view_shown(view), f"view {view.key}", t)
        move(term, b"/", text_shown("Search:"), "the search box", t)
        move(term, term_text.encode(), view_shown(every, count, first), "a search", t)
        move(term, key("escape"), view_shown(every, rows=False), "the search cleared", t)
        _help_and_palette(term, t)
        return term.peak_rss_mb()
    finally:
        term.close(quit_keys=None)


def memory_bare(p: Programs) -> float:
    with p.bare("static", FLOOR_TEXT) as term:
        term.wait(text_shown(FLOOR_TEXT), p.timeout, "its text")
        _help_and_palette(term, p.timeout, help_key=None)
        return term.peak_rss_mb()


def _help_and_palette(term: Terminal, timeout: float, help_key: bytes | None = b"?") -> None:
    """Open and close help (if the app has it) and the command palette."""
    if help_key:
        before = term.screen()
        move(term, help_key, lambda term: term.screen() != before, "help", timeout)
        shown = term.screen()
        move(term, key("escape"), lambda term: term.screen() != shown, "help closed", timeout)
    palette = text_shown("Search for commands")
    move(term, key("ctrl+p"), palette, "the command palette", timeout)
    move(term, key("escape"), lambda term: not palette(term), "palette closed", timeout)


def guarded(run: Callable[[], None], samples: Samples) -> None:
    """Run one session; a step that did not settle (or a crash) is noted, not raised."""
    try:
        run()
    except (Unsettled, Exited, RuntimeError, OSError) as error:
        if not getattr(error, "noted", False):
            samples.fail(error)


def now() -> float:
    return time.perf_counter()
