"""Opening the app, and the rules every `netinbox` command shares with it: one clear line
on stderr for every error a user can cause (`friendly`), the interface's language chosen
before anything is said, the config read.

Without click: `netinbox.launch` opens the app through this module when the command line
holds only the app's own options, and `netinbox.cli` (the click commands) uses the same
rules for everything else.
"""

from __future__ import annotations

import gc
import os
import signal
import sqlite3
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from netinbox.config import Config, ConfigError, default_db_path, load_config
from netinbox.db import StoreError
from netinbox.i18n import _, choose_for, set_language, users_environment
from netinbox.text import for_terminal

if TYPE_CHECKING:
    from netinbox.tui.early_keys import EarlyKeys
    from netinbox.watching import Mailbox

F = TypeVar("F", bound=Callable[..., Any])


def tell(message: str) -> None:
    """A message for a person on stderr, made visible text (a message can quote a cell,
    a file name or a zip member's name, and none may reach the terminal raw)."""
    _line(for_terminal(message))


def _line(text: str) -> None:
    if sys.stderr is None:  # no stderr at all (closed): nowhere to say it
        return
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def fail(message: str, code: int = 1) -> NoReturn:
    """One line on stderr, through the same visible-text boundary as the app, and exit."""
    _line(f"netinbox: {for_terminal(message)}")
    sys.exit(code)


def os_error(error: OSError) -> str:
    """An operating-system error as the truth a user can act on."""
    import errno

    name = str(error.filename) if error.filename else ""
    folder = (Path(name).parent if name else Path(".")).absolute()
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return _(
            "the disk is full (%(error)s: %(folder)s): nothing was written. "
            "Free some space and try again."
        ) % {"error": error.strerror or _("no space left"), "folder": folder}
    if error.errno == errno.EFBIG:
        return _(
            "%(file)s: a file-size limit (ulimit -f) stops the write; nothing was "
            "written. Raise the limit and try again."
        ) % {"file": name or _("a file")}
    if error.errno == errno.EROFS:
        return _("%(file)s: the disk is read-only; nothing was written.") % {
            "file": name or _("the file")
        }
    return f"{name}{': ' if name else ''}{error.strerror or error}"


_current_store: Path | None = None  # named in messages about SQLite errors


def named_in_errors(path: Path) -> Path:
    """The store a command works on: named in the message about a SQLite error."""
    global _current_store
    _current_store = path
    return path


def friendly(func: F) -> F:
    """Turn every error the user can cause into one line on stderr."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (StoreError, ConfigError) as error:
            fail(str(error))
        except sqlite3.DatabaseError as error:  # e.g. a damaged page found while reading
            from netinbox.db import explain

            fail(str(explain(error, _current_store)))
        except BrokenPipeError:  # `netinbox due | head`: the reader has all it wanted
            sys.stderr = open(os.devnull, "w")  # noqa: SIM115
            sys.exit(0)
        except OSError as error:
            fail(os_error(error))
        except KeyboardInterrupt:
            fail(_("interrupted; nothing was changed by the interrupted step"), 130)
        except Exception as error:
            # Imported only now: the importers are not on the app's start-up path.
            from netinbox.importers.base import BadInput
            from netinbox.query import QueryError

            if isinstance(error, BadInput | QueryError):
                fail(str(error))
            raise

    return wrapper  # type: ignore[return-value]


def read_config() -> Config:
    """The config file, read, and the interface's language it asks for installed."""
    config = load_config()
    choose_for(config.language, config.language_given)
    return config


def choose_language() -> None:
    """The interface's language before the command line is read (so that `--help` and
    click's own errors speak it): the config's, else the environment's. A broken config
    is said by the command that reads it."""
    set_language(None)
    try:
        read_config()
    except ConfigError:
        return


def upgrading(path: Path) -> Callable[[], None]:
    """Says, before a store from an older netinbox is upgraded, why the wait."""

    def say() -> None:
        tell(
            "netinbox: "
            + _(
                "bringing {path} up to this version of netinbox (once; a large store "
                "takes a few seconds)…"
            ).format(path=path)
        )

    return say


def exit_on_hangup() -> dict[int, Any]:
    """SIGHUP (the terminal closed) and SIGTERM end the program as an exit would, so
    `finally` blocks run; returns the handlers they replace."""

    def stop(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    before: dict[int, Any] = {}
    for name in ("SIGHUP", "SIGTERM"):
        if hasattr(signal, name):
            signum = getattr(signal, name)
            before[signum] = signal.signal(signum, stop)
    return before


def mailboxes(paths: tuple[Path, ...]) -> list[Mailbox]:
    """The mailboxes to watch (`watching.mailbox`), each named before anything starts:
    one that does not exist or is no mailbox ends the command with one line."""
    from netinbox import watching
    from netinbox.importers.base import BadInput

    found: list[Mailbox] = []
    for item in paths:
        if not item.exists():
            fail(_("{path}: no such file or folder").format(path=item))
        try:
            found.append(watching.mailbox(item))
        except BadInput as error:
            fail(str(error))
    return found


@friendly
def open_app(db_path: Path | None, demo: bool, watch_paths: tuple[Path, ...]) -> NoReturn:
    """`netinbox [--db PATH] [--demo] [--watch MAILBOX]...`: the app, and exit with its
    code. The interface's language is chosen already (`choose_language`)."""
    from netinbox.tui.early_keys import EarlyKeys

    with EarlyKeys() as early:  # keys typed while the app comes wait for it, as typed
        _open_app(db_path, demo, watch_paths, early)


def _open_app(
    db_path: Path | None, demo: bool, watch_paths: tuple[Path, ...], early: EarlyKeys
) -> NoReturn:
    mailboxes(watch_paths)  # named now: one that is no mailbox is said before the app opens
    scratch: Path | None = None  # the demo's own folder, removed when the app exits
    before: dict[int, Any] = {}
    if demo and db_path is None:
        import tempfile

        scratch = Path(tempfile.mkdtemp(prefix="netinbox-demo-"))
        db_path = scratch / "demo.db"
        before = exit_on_hangup()  # a closed terminal ends the demo through `finally` too
    # Start-up only allocates (Textual, the first screen): no collector passes until the
    # app has painted its first page (`netinbox.tui.app.run_app` turns it back on).
    gc.disable()
    try:
        code = _run_app(
            db_path or default_db_path(), demo=demo, watch=list(watch_paths), early=early
        )
    finally:
        gc.enable()
        if scratch is not None:  # the store, its -wal and -shm
            import shutil

            shutil.rmtree(scratch, ignore_errors=True)
        for signum, handler in before.items():
            signal.signal(signum, handler)
    sys.exit(code or 0)


def _run_app(
    path: Path, *, demo: bool, watch: list[Path] | None = None, early: EarlyKeys | None = None
) -> int:
    """Open the app on the store at `path` (filled with demo requests if `demo` and new)."""
    config = read_config()
    if config.keys:  # a remap that breaks a key is refused before the app starts
        from netinbox.tui.keys import check_keymap

        check_keymap(config)
    from netinbox.store import Store

    if demo and not config.my_name:  # the demo is Mira's inbox; new drafts sign as her
        config.my_name = "Mira Testfeld"
    if demo and (not path.exists() or path.stat().st_size == 0):
        with Store(path, config=config, lock=True) as store:
            from netinbox.demo import build_demo

            build_demo(store)
    store = Store(path, config=config, lock=True, on_upgrade=upgrading(path))
    store.verify_later()  # quick_check before the first write, off the UI thread
    try:
        from netinbox.tui.app import run_app

        with users_environment():  # the editor and the clipboard tools: the user's LANGUAGE
            return run_app(store, watch=watch or (), early=early)
    finally:
        store.close()
