"""Copy a follow-up for the user to paste on the platform, and say truthfully where it went.

Always through the terminal (OSC 52: works where the terminal allows it, silently not
elsewhere), and through the system's clipboard tool when it has one (`netinbox.clipboard`),
in a thread: a tool may hang. `done` gets a sentence for a toast, without a full stop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App

from netinbox.clipboard import CopyResult, clipboard_commands, copy_with
from netinbox.i18n import N_, _

NO_TOOL = N_(
    "Sent to the terminal's clipboard; no clipboard tool was found (wl-copy, xclip, xsel, "
    "pbcopy), so it is there only if your terminal allows it. You can select the text"
)


def say(result: CopyResult) -> str:
    """Where the text went, in words."""
    if result.to_tmux_only:
        return _("Copied to tmux's paste buffer (prefix ] pastes it)")
    if result.copied:
        return _("Copied to the clipboard")
    if not result.tried:
        return _(NO_TOOL)
    problems = ", ".join(f"{name}: {problem}" for name, problem in result.tried)
    return _(
        "Could not copy to the clipboard (%(problems)s); sent to the terminal's clipboard "
        "only. You can select the text"
    ) % {"problems": problems}


def copied_fully(sentence: str) -> bool:
    """Whether `say` said the text reached a clipboard a paste takes it from."""
    return sentence in (
        _("Copied to the clipboard"),
        _("Copied to tmux's paste buffer (prefix ] pastes it)"),
    )


def copy_out(app: App[Any], text: str, done: Callable[[str], None]) -> None:
    """Copy `text`; `done(sentence)` runs on the UI thread once it is known where it went."""
    app.copy_to_clipboard(text)  # OSC 52, and `app.clipboard`
    commands = clipboard_commands()
    if not commands:
        done(_(NO_TOOL))
        return

    def run() -> None:
        result = copy_with(commands, text)
        app.call_from_thread(done, say(result))

    app.run_worker(run, thread=True, group="clipboard", exit_on_error=False)
