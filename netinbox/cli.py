"""The `netinbox` command: open the app, import, list due follow-ups, export, back up, forget.

Every error a user can cause is one clear line on stderr and a non-zero exit, never a
traceback (`netinbox.starting.friendly`). The script is `netinbox.launch`, which opens the
app without click when the line holds only the app's options and hands everything else
to `main` here.
"""

from __future__ import annotations

import shutil
import signal
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from netinbox.config import Config, config_path, default_db_path
from netinbox.db import StoreError, StoreMissing
from netinbox.i18n import N_, _, ngettext, speaking_to_libraries
from netinbox.starting import choose_language as _choose_language
from netinbox.starting import exit_on_hangup as _exit_on_hangup
from netinbox.starting import fail as _fail
from netinbox.starting import friendly, named_in_errors, open_app
from netinbox.starting import mailboxes as starting_mailboxes
from netinbox.starting import read_config as _config
from netinbox.starting import upgrading as _upgrading
from netinbox.text import for_terminal
from netinbox.words import platform_label, watch_mode


def _say(message: str, *, err: bool = False) -> None:
    """A message for a person (not data): made visible text, wherever it goes."""
    click.echo(for_terminal(message), err=err)


db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="NETINBOX_DB",
    help=N_("The store file (default: the user data folder; env NETINBOX_DB)."),
)


def _db(ctx: click.Context, db_path: Path | None) -> Path:
    if db_path is None:
        db_path = ctx.find_root().params.get("db_path")
    return named_in_errors(db_path if db_path is not None else default_db_path())


def _named(ctx: click.Context, db_path: Path | None) -> bool:
    """Whether the user named the store (--db, NETINBOX_DB) rather than using the default."""
    return db_path is not None or ctx.find_root().params.get("db_path") is not None


def _open(
    path: Path, *, lock: bool, create: bool = True, read_only: bool = False, as_it_is: bool = False
) -> Any:
    from netinbox.store import Store

    return Store(
        path,
        config=_config(),
        lock=lock,
        create=create,
        read_only=read_only,
        as_it_is=as_it_is,
        on_upgrade=_upgrading(path),
    )


@contextmanager
def _writing(path: Path, *, dry_run: bool = False) -> Iterator[Any]:
    """The store for a writing command, locked. If this command created it and then fails
    (or only tries, `--dry-run`), nothing is left behind: no store, no folder."""
    store = _open(path, lock=True)
    done = False
    try:
        yield store
        done = True
    finally:
        if store.created and (dry_run or not done):
            store.discard()
        else:
            store.close()


@contextmanager
def _reading(ctx: click.Context, db_path: Path | None, *, check: bool = True) -> Iterator[Any]:
    """The store opened read-only for a reading command (a read-only store or folder
    works), checked by SQLite's quick_check first unless it is unchanged since a check
    passed (`netinbox.checked`); None when there is no store yet at the default place (a
    new user's `due` has nothing due). A store from an older netinbox is upgraded first,
    or read through an upgraded copy where it cannot be (`_upgraded`)."""
    from netinbox.schema import StoreNeedsUpgrade

    path = _db(ctx, db_path)
    scratch: Path | None = None
    try:
        store = _open(path, lock=False, create=False, read_only=True)
    except StoreMissing:
        if _named(ctx, db_path):
            raise
        yield None
        return
    except StoreNeedsUpgrade:
        store, scratch = _upgraded(path)
    try:
        if check and scratch is None:
            from netinbox.checked import quick_check_once

            quick_check_once(store.conn, path)
        yield store
    finally:
        store.close()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def _upgraded(path: Path) -> tuple[Any, Path | None]:
    """A store from an older netinbox, for a reading command. Where it can be written it
    is upgraded as the app upgrades it: under the instance lock, after SQLite's
    quick_check, in one transaction. Where it cannot (a read-only file, folder or disk,
    or an older netinbox's app holding it), this command reads a private upgraded copy in
    a temporary folder (returned, to be removed), and the store stays as it was."""
    from netinbox.db import StoreDamaged

    try:
        _open(path, lock=True, create=False).close()
    except StoreDamaged:
        raise
    except (StoreError, OSError):
        pass
    else:
        _say(_("{path}: upgraded to this netinbox's format.").format(path=path), err=True)
        return _open(path, lock=False, create=False, read_only=True), None
    from netinbox.db import connect, quick_check

    scratch = Path(tempfile.mkdtemp(prefix="netinbox-upgraded-"))
    try:
        copy = scratch / "store.db"
        source = connect(path, create=False, read_only=True)
        try:
            quick_check(source, path)
            with sqlite3.connect(copy) as target:
                source.backup(target)
            target.close()
        finally:
            source.close()
        store = _open(copy, lock=False, create=False)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    _say(
        _(
            "{path}: written by an older netinbox and cannot be upgraded here; read "
            "through an upgraded copy, the store was not changed."
        ).format(path=path),
        err=True,
    )
    return store, scratch


USAGE_WORDS = (N_("[OPTIONS]"), N_("COMMAND [ARGS]..."), N_("[COMMAND] [ARGS]..."))
"""The parts of click's usage line that are words, not syntax (click 8.5 shows the
command as optional)."""

METAVARS: dict[str, str] = {
    "FILE": N_("FILE"),
    "PATH": N_("PATH"),
    "DIRECTORY": N_("DIRECTORY"),
    "TEXT": N_("TEXT"),
    "INTEGER": N_("INTEGER"),
    "INTEGER RANGE": N_("INTEGER"),
    "FLOAT": N_("NUMBER"),
    "MAILBOX": N_("MAILBOX"),
    "MAILBOXES": N_("MAILBOXES"),
    "PATHS": N_("PATHS"),
    "PERSON_ID": N_("PERSON_ID"),
    "DEST": N_("DEST"),
}
"""The placeholders of the help's options and arguments (click's own for a type, or the
argument's name), as words to translate; a choice keeps its list of choices."""


def _metavar(param: click.Parameter) -> str | None:
    """The English placeholder click would show for `param`, if it is one of ours."""
    if param.metavar:
        return param.metavar
    if isinstance(param, click.Argument):
        return (param.name or "").upper()
    if not isinstance(param, click.Option) or param.is_flag or param.count:
        return None
    kind = param.type
    if isinstance(kind, click.Path):
        return "FILE" if not kind.dir_okay else "DIRECTORY" if not kind.file_okay else "PATH"
    return kind.name.upper()


def _click_words() -> None:  # never called: marks click's own words for the catalogue
    """click translates its words with the standard library's gettext; these are the ones
    a user can meet, so that our catalogue has them (`speaking_to_libraries`)."""
    for word in (
        N_("Usage:"),
        N_("Options"),
        N_("Commands"),
        N_("Show this message and exit."),
        N_("Show the version and exit."),
        N_("Error: {message}"),
        N_("Try '{command} {option}' for help."),
        N_("No such option {name!r}."),
        N_("No such command {name!r}."),
        N_("Missing argument"),
        N_("Missing option"),
        N_("Missing parameter"),
        N_("Missing parameter: {param_name}"),
        N_("Missing {param_type}"),
        N_("Missing command."),
        N_("Invalid value: {message}"),
        N_("Invalid value for {param_hint}: {message}"),
        N_("Option {name!r} does not take a value."),
        N_("Argument {name!r} takes {nargs} values."),
        N_("Aborted!"),
        N_("Do you want to continue?"),
        N_("Confirm the action without prompting."),
        N_("Repeat for confirmation"),
        N_("Error: The two entered values do not match."),
        N_("Error: invalid input"),
        N_("Press any key to continue..."),
        N_("default: {default}"),
        N_("env var: {var}"),
        N_("(dynamic)"),
        N_("deprecated"),
        N_("Choose from:\n\t{choices}"),
        N_("{value!r} is not a valid {number_type}."),
        N_("{value} is not in the range {range}."),
        N_("{value!r} is not a valid boolean. Recognized values: {states}"),
        N_("Could not open file {filename!r}: {message}"),
        N_("unknown error"),
        N_("file"),
        N_("directory"),
        N_("path"),
        N_("{name} {filename!r} does not exist."),
        N_("{name} {filename!r} is a file."),
        N_("{name} {filename!r} is a directory."),
        N_("{name} {filename!r} is not readable."),
        N_("{name} {filename!r} is not writable."),
        N_("{name} {filename!r} is not executable."),
        N_("{editor}: Editing failed"),
        N_("{editor}: Editing failed: {e}"),
    ):
        _(word)
    ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", 2)
    ngettext("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", 2)
    ngettext(
        "Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments.", 2
    )
    ngettext(
        "Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given.", 2
    )
    ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", 2)
    ngettext(
        "{value!r} does not match the format {format}.",
        "{value!r} does not match the formats {formats}.",
        2,
    )


def _translate_help(command: click.Command) -> None:
    """The command's, its options' and its subcommands' help in the interface's language
    (their English, marked with `N_()`, is kept to translate again)."""
    items: list[Any] = [command, *command.params]
    for item in items:
        english = item.__dict__.setdefault("english_help", getattr(item, "help", None))
        if english:
            item.help = _(english)
        if isinstance(item, click.Parameter):
            placeholder = item.__dict__.setdefault("english_metavar", _metavar(item))
            if placeholder in METAVARS:
                word = _(METAVARS[placeholder])
                if isinstance(item, click.Argument):  # what click adds when it names it
                    word = word if item.required else f"[{word}]"
                    word += "..." if item.nargs != 1 else ""
                item.metavar = word
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _translate_help(sub)


class _SaidInOurWords(click.Command):
    """The help option and the usage line in the interface's language (a command's and
    the group's alike)."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)  # made once per command: say it again
        if option is not None:
            option.help = _("Show this message and exit.")
        return option

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return [
            _(piece) if piece in USAGE_WORDS else piece
            for piece in super().collect_usage_pieces(ctx)
        ]


class WordsCommand(_SaidInOurWords):
    """A command whose usage line is in the interface's language."""


class WordsGroup(_SaidInOurWords, click.Group):
    """The `netinbox` command in the interface's language: the language is chosen before
    the command line is read, click's own words (`Usage:`, `Error: No such option`) come
    from our catalogue, and every help text is translated."""

    command_class = WordsCommand

    def main(self, *args: Any, **kwargs: Any) -> Any:
        _choose_language()
        with speaking_to_libraries():
            _translate_help(self)
            return super().main(*args, **kwargs)


@click.group(
    cls=WordsGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=N_("Review contact requests from LinkedIn and XING: ask why, track the deadline, decide."),
)
@db_option
@click.option("--demo", is_flag=True, help=N_("Open the app on a fresh store of demo requests."))
@click.option(
    "--watch",
    "watch_paths",
    multiple=True,
    type=click.Path(path_type=Path),
    metavar="MAILBOX",
    help=N_(
        "While the app is open, import new notification mails arriving in this mbox or "
        "Maildir (repeatable; besides the config's [watch] paths)."
    ),
)
@click.version_option(package_name="netinbox")
@click.pass_context
def main(
    ctx: click.Context, db_path: Path | None, demo: bool, watch_paths: tuple[Path, ...]
) -> None:
    # the language is chosen already (`WordsGroup.main`); a command's config may say again
    if ctx.invoked_subcommand is None:  # `netinbox.launch` opens it so without click
        open_app(db_path, demo, watch_paths)


@main.command(help=N_("Write a store full of realistic demo requests and exit."))
@db_option
@click.pass_context
@friendly
def demo(ctx: click.Context, db_path: Path | None) -> None:
    path = _db(ctx, db_path)
    from netinbox.demo import build_demo

    with _writing(path) as store:
        from netinbox.query import Query

        if store.count(Query()):
            _fail(
                _("%(path)s: already holds requests; the demo needs an empty store")
                % {"path": path}
            )
        added = build_demo(store)
    _say(
        ngettext(
            "%(path)s: %(n)d demo request written.", "%(path)s: %(n)d demo requests written.", added
        )
        % {"path": path, "n": added}
    )


@main.command(
    help=N_(
        "List the app's keys: the id that remaps each in the config's [keys], its key "
        "now,\nwhat it does."
    )
)
@friendly
def keys() -> None:
    config = _config()
    from netinbox.tui.keys import check_keymap, key_table

    if config.keys:
        check_keymap(config)
    where = config.path or config_path()
    _say(
        _('Give an action another key by its id in [keys] of {where}: decline = "x".').format(
            where=where
        )
    )
    for place, rows in key_table(config.keys):
        _say("")
        _say(place)
        for binding_id, key, does in rows:
            _say(f"  {binding_id:<19} {key:<13} {does}")


@main.command(help=N_("Overdue follow-ups, and those due soon, oldest deadline first."))
@db_option
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@click.option(
    "--days",
    default=2,
    show_default=True,
    type=click.IntRange(0, 36_500),
    help=N_("Also list follow-ups due within N days."),
)
@click.pass_context
@friendly
def due(ctx: click.Context, db_path: Path | None, as_json: bool, days: int) -> None:
    from datetime import timedelta

    items: list[dict[str, Any]] = []
    zone = _zone(_config())
    with _reading(ctx, db_path) as store:
        if store is not None:
            items = store.due(timedelta(days=days))
            zone = _zone(store.config)
    if as_json:
        from netinbox.exporters import dumps

        sys.stdout.write(dumps(items) + "\n")
        return
    if not items:
        click.echo(_("Nothing due."))
        return
    from netinbox.tui.format import when

    overdue, soon = _("OVERDUE"), _("due")
    width = max(len(overdue), len(soon))
    for item in items:
        due_at = datetime.fromisoformat(item["due_at"].replace("Z", "+00:00"))
        state = (overdue if item["overdue"] else soon).ljust(width)
        name = for_terminal(item["name"], cap=60)
        where = platform_label(item["platform"])
        _say(f"{state} {when(due_at, zone)}  #{item['id']:<6} {name} ({where})")


def _zone(config: Config) -> Any:
    return config.zone()


@main.command(
    help=N_("Requests, follow-ups and decisions as JSON (data) or CSV (for spreadsheets).")
)
@db_option
@click.option(
    "--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help=N_("File (default: stdout)."),
)
@click.option(
    "--delimiter",
    type=click.Choice([",", ";"]),
    default=",",
    help=N_("CSV delimiter (; for German Excel)."),
)
@click.pass_context
@friendly
def export(
    ctx: click.Context, db_path: Path | None, fmt: str, output: Path | None, delimiter: str
) -> None:
    from netinbox.exporters import write_csv, write_json, write_private

    path = _db(ctx, db_path)
    if output is not None:
        from netinbox.db import refuse_overwrite

        refuse_overwrite(output, path, "export")
    with _reading(ctx, db_path) as store:
        if store is None:
            _say(
                "netinbox: " + _("no store yet at %(path)s; the export is empty.") % {"path": path},
                err=True,
            )

        def write(handle: Any, *, terminal: bool = False) -> None:
            if fmt == "json":
                write_json(store, handle)
            else:
                write_csv(store, handle, delimiter=delimiter, terminal=terminal)

        if output is None:
            # Data to a file or a pipe stays exact; on a terminal it is made visible text.
            write(sys.stdout, terminal=sys.stdout.isatty())
            sys.stdout.flush()
        else:
            write_private(output, write)
    if output is not None:
        _say(_("Wrote %(file)s.") % {"file": output}, err=True)


@main.command(
    help=N_(
        "A consistent, private copy of the store (SQLite backup API), as it is: also one\n"
        "from an older netinbox, before its upgrade."
    )
)
@db_option
@click.argument("dest", type=click.Path(path_type=Path))
@click.pass_context
@friendly
def backup(ctx: click.Context, db_path: Path | None, dest: Path) -> None:
    path = _db(ctx, db_path)
    with _open(path, lock=False, create=False, read_only=True, as_it_is=True) as store:
        written = store.backup(dest)
    _say(_("Backed up to %(file)s.") % {"file": written})


@main.command(help=N_("Remove a person and everything about them for good (see `export` for ids)."))
@db_option
@click.argument("person_id", type=int)
@click.option("--yes", is_flag=True, help=N_("Do not ask for confirmation."))
@click.pass_context
@friendly
def forget(ctx: click.Context, db_path: Path | None, person_id: int, yes: bool) -> None:
    path = _db(ctx, db_path)
    with _open(path, lock=True, create=False) as store:
        stored_name = store.person_name(person_id)
        if stored_name is None:
            _fail(_("no person %(id)s in %(path)s") % {"id": person_id, "path": path})
        name = for_terminal(stored_name, cap=80)
        question = _("Forget %(name)s and everything about them?") % {"name": name}
        if not yes and not click.confirm(question, err=True):
            _fail(_("nothing was forgotten"))
        store.forget_person(person_id)
        wiped = store.wiped
    if wiped:
        _say(_("Forgot %(name)s. Backups made before now still contain them.") % {"name": name})
    else:
        _say(
            _(
                "Forgot {name}, but another program is reading the store, so their old "
                "data is still in its files; netinbox wipes it the next time the app, or a "
                "command that changes the store (add, import, forget), opens it. Backups "
                "made before now still contain them."
            ).format(name=name)
        )


@main.command(
    name="import",
    help=N_("Import LinkedIn exports, notification mails (mbox, Maildir, .eml), vCards, CSV/JSON."),
)
@db_option
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--platform", type=click.Choice(["linkedin", "xing"]), help=N_("For files that do not say.")
)
@click.option("--strict", is_flag=True, help=N_("Stop at the first invalid row; write nothing."))
@click.option("--dry-run", is_flag=True, help=N_("Read and count, write nothing."))
@click.pass_context
@friendly
def import_(
    ctx: click.Context,
    db_path: Path | None,
    paths: tuple[Path, ...],
    platform: str | None,
    strict: bool,
    dry_run: bool,
) -> None:
    from netinbox.importers import total_bytes
    from netinbox.importing import run_import

    path = _db(ctx, db_path)
    for item in paths:
        if not item.exists():
            _fail(_("%(path)s: no such file or folder") % {"path": item})
    with (
        _writing(path, dry_run=dry_run) as store,
        _progress(total_bytes(list(paths))) as advance,
    ):
        summary = run_import(
            store, list(paths), platform=platform, strict=strict, dry_run=dry_run, advance=advance
        )
    for line in summary.lines():
        _say(line)
    _say(summary.headline())


@main.command(
    help=N_(
        "Import new LinkedIn and XING notification mails as they arrive in an mbox or a\n"
        "Maildir, until Ctrl-C: one line per new request or answer.\n\nEach mailbox is read "
        "once at the start (nothing is added twice). Then, on Linux,\nthe kernel says when "
        "one changes (inotify: nothing is done while no mail comes,\nbut a look once a "
        "minute for network file systems); elsewhere a few stat calls\nevery --interval "
        "seconds. A mailbox that changed is read when it has settled.\nA changed mbox is "
        "read again whole, so one truncated, compacted or replaced is\nread as it now is; "
        "of a Maildir only the mails not seen before, also once moved\nfrom new/ to cur/. "
        "The store is locked only while new mail is written, so the\napp and the other "
        "commands work meanwhile."
    )
)
@db_option
@click.argument("mailboxes", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--interval",
    type=click.FloatRange(0.2, 3600),
    default=5.0,
    show_default=True,
    help=N_("Seconds between two looks at the mailboxes where there is no inotify."),
)
@click.pass_context
@friendly
def watch(
    ctx: click.Context, db_path: Path | None, mailboxes: tuple[Path, ...], interval: float
) -> None:
    from netinbox import watching

    path = _db(ctx, db_path)
    boxes = starting_mailboxes(mailboxes)
    before = _exit_on_hangup()  # SIGTERM and a closed terminal stop as Ctrl-C does
    waiter = watching.waiter(interval, [box.path for box in boxes])
    _say(
        ngettext(
            "Watching {count} mailbox for new mail ({how}; Ctrl-C stops).",
            "Watching {count} mailboxes for new mail ({how}; Ctrl-C stops).",
            len(boxes),
        ).format(count=len(boxes), how=watch_mode(waiter.mode, interval)),
        err=True,
    )
    waiting = False  # said that the app holds the store
    look = watching.Watch(boxes)
    settled: set[Path] = set()
    try:
        while True:
            for box in look.vanished():
                _say(_watch_gone(box.path), err=True)
            ready = look.look(settled)
            if ready:
                waiting = _watch_import(path, ready, waiting)
            settled = waiter.wait(look.pause(waiter))
    except KeyboardInterrupt:
        pass
    except SystemExit as stop:
        if stop.code not in (128 + signal.SIGTERM, 128 + getattr(signal, "SIGHUP", 1)):
            raise
    finally:
        waiter.close()
        for signum, handler in before.items():
            signal.signal(signum, handler)
    _say(_("Stopped watching."), err=True)


def _watch_gone(path: Path) -> str:
    return "netinbox: " + _("{path}: gone; its mail is read again when it is back.").format(
        path=path
    )


def _watch_import(path: Path, ready: list[Any], waiting: bool) -> bool:
    """Read the mailboxes that changed and apply what they hold, in one transaction each;
    True while another netinbox holds the store (they are read again at the next look)."""
    from netinbox import watching
    from netinbox.db import StoreLocked

    for box in ready:
        try:
            with _writing(path) as store:
                taken = watching.take(box, store)
        except StoreLocked as error:
            if not waiting:
                _say(
                    _("{problem} New mail is imported once it is closed.").format(
                        problem=str(error)
                    ),
                    err=True,
                )
            return True
        for problem in taken.problems:
            _say(f"netinbox: {problem}", err=True)
        for record in taken.skipped:
            _say(
                _("skipped {source}: {reason}").format(
                    source=record.source, reason=_(record.reason)
                )
            )
        for what, name, platform in taken.found:
            shown = for_terminal(name, cap=80)
            where = platform_label(platform)
            if what == "new":
                _say(_("New request: {name} ({platform})").format(name=shown, platform=where))
            else:
                _say(_("Answer from {name} ({platform})").format(name=shown, platform=where))
    return False


@contextmanager
def _progress(total: int) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr for inputs big enough to wait for."""
    if total < 2_000_000 or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(_("Importing"), total=total)
        yield lambda n: bar.advance(task, n)


@main.command(help=N_("Add a request by hand."))
@db_option
@click.option("--name", required=True)
@click.option("--headline", default="")
@click.option("--company", default="")
@click.option(
    "--platform",
    type=click.Choice(["linkedin", "xing", "other"]),
    default="linkedin",
    show_default=True,
)
@click.option("--message", default="")
@click.option("--url", default=None, help=N_("Profile URL."))
@click.option(
    "--received", default=None, help=N_("When it arrived (YYYY-MM-DD or ISO time; default now).")
)
@click.pass_context
@friendly
def add(
    ctx: click.Context,
    db_path: Path | None,
    name: str,
    headline: str,
    company: str,
    platform: str,
    message: str,
    url: str | None,
    received: str | None,
) -> None:
    from pydantic import ValidationError

    from netinbox.models import Platform, RequestRecord

    path = _db(ctx, db_path)
    with _writing(path) as store:
        when = store.now()
        if received:
            try:
                when = datetime.fromisoformat(received)
            except ValueError:
                _fail(_("--received: not a date: %(value)r (use YYYY-MM-DD)") % {"value": received})
            if when.tzinfo is None:
                when = when.replace(tzinfo=_zone(store.config))
            try:
                when.astimezone(UTC)
            except OverflowError:  # year 1 east of UTC, year 9999 west of it
                _fail(
                    _("--received: %(value)r is out of range (years 1 to 9999, in UTC)")
                    % {"value": received}
                )
        if url is not None:
            from netinbox.identity import (
                OTHER_PLATFORM,
                platform_of_url,
                profile_url_message,
                profile_url_problem,
            )

            problem = profile_url_problem(url, platform)
            if problem is not None:
                hint = f" (--platform {platform_of_url(url)})" if problem == OTHER_PLATFORM else ""
                _fail(f"--url: {profile_url_message(problem, url).rstrip('.')}{hint}")
        try:
            record = RequestRecord(
                platform=Platform(platform),
                name=name,
                headline=headline,
                company=company,
                message=message,
                profile_url=url,
                received_at=when,
                source="added by hand",
            )
        except ValidationError as error:
            from netinbox.words import record_problem

            _fail(_("cannot add: %(problem)s") % {"problem": record_problem(error.errors()[0])})
        outcome, request_id = store.add_request_outcome(record)
    if outcome == "new":
        click.echo(_("Added request #%(id)s.") % {"id": request_id})
    elif outcome == "updated":
        click.echo(
            _("Already stored as request #%(id)s; filled in what it lacked.") % {"id": request_id}
        )
    else:
        click.echo(_("Already stored as request #%(id)s; nothing added.") % {"id": request_id})


@main.command(
    help=N_(
        "Statistics: requests per month, follow-ups and their answers, outcomes, your own\n"
        "requests; as a table with bars, or JSON."
    )
)
@db_option
@click.option(
    "--period",
    default=None,
    help=N_("12m (the last 12 months, the default), 2y, 2026, 2026-03 or all."),
)
@click.option("--since", default=None, help=N_("The first month (YYYY-MM)."))
@click.option("--until", default=None, help=N_("The last month (YYYY-MM; default: this month)."))
@click.option("--platform", type=click.Choice(["linkedin", "xing", "other"]), default=None)
@click.option(
    "--json", "as_json", is_flag=True, help=N_("Print JSON (every month, and the totals).")
)
@click.pass_context
@friendly
def stats(
    ctx: click.Context,
    db_path: Path | None,
    period: str | None,
    since: str | None,
    until: str | None,
    platform: str | None,
    as_json: bool,
) -> None:
    from netinbox.stats import PeriodError, empty_statistics, parse_period, statistics
    from netinbox.stats_text import period_error, report

    config = _config()
    with _reading(ctx, db_path) as store:
        zone = _zone(store.config if store is not None else config)
        today = (store.now() if store is not None else datetime.now(UTC)).astimezone(zone).date()
        try:
            chosen = parse_period(period, since=since, until=until, today=today)
        except PeriodError as error:
            option = "" if error.code == "both" else "--period: " if period else "--since/--until: "
            _fail(option + period_error(error))
        if store is None:
            result = empty_statistics(platform)
        else:
            result = statistics(store, chosen, platform, zone=zone)
    if as_json:
        from netinbox.exporters import dumps

        sys.stdout.write(dumps(result.as_json()) + "\n")
        return
    width = shutil.get_terminal_size((80, 24)).columns if sys.stdout.isatty() else 80
    for line in report(result, width=min(width, 100)):
        _say(line)
