"""Copying text to the system clipboard with the tool the system has, and saying what happened.

A terminal app can ask the terminal to set the clipboard (OSC 52), but many terminals and
tmux (by default) ignore it without a word. So netinbox also runs the system's own tool
where there is one: `pbcopy` on macOS, `wl-copy` under Wayland, `xclip` or `xsel` under X11,
`clip.exe` under WSL, and inside tmux its paste buffer. Each runs without a shell, with the
text on stdin and a timeout. The result says which tool copied, or why none did; the caller
turns it into words (the core speaks in codes).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

TIMEOUT = 3.0
"""Seconds a clipboard tool may take before it counts as failed."""


@dataclass(frozen=True)
class CopyResult:
    """`copied_by`: the tool that took the text ("" if none); `tried`: the tools that
    failed, each with its problem; no tool at all when both are empty."""

    copied_by: str = ""
    tried: tuple[tuple[str, str], ...] = ()

    @property
    def copied(self) -> bool:
        return bool(self.copied_by)

    @property
    def to_tmux_only(self) -> bool:
        return self.copied_by == "tmux"


def clipboard_commands(
    env: Mapping[str, str] | None = None, platform: str | None = None
) -> list[list[str]]:
    """The clipboard commands this system offers, best first (each an argv list)."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    path = env.get("PATH")
    wanted: list[list[str]] = []
    if platform == "darwin":
        wanted.append(["pbcopy"])
    if env.get("WAYLAND_DISPLAY"):
        wanted.append(["wl-copy"])
    if env.get("DISPLAY"):
        wanted.append(["xclip", "-selection", "clipboard", "-in"])
        wanted.append(["xsel", "--clipboard", "--input"])
    if env.get("WSL_DISTRO_NAME"):
        wanted.append(["clip.exe"])
    if env.get("TMUX"):
        wanted.append(["tmux", "load-buffer", "-"])  # paste with prefix ]
    found: list[list[str]] = []
    for argv in wanted:
        program = shutil.which(argv[0], path=path)
        if program is not None:
            found.append([program, *argv[1:]])
    return found


def tool_name(argv: Sequence[str]) -> str:
    return os.path.basename(argv[0]).removesuffix(".exe")


def copy_with(commands: Sequence[Sequence[str]], text: str) -> CopyResult:
    """Give `text` to the first command that takes it. Blocking: may take up to
    `TIMEOUT` per command, so call it off the UI thread."""
    tried: list[tuple[str, str]] = []
    data = text.encode("utf-8")
    for argv in commands:
        name = tool_name(argv)
        try:
            # No pipes to read from: xclip and wl-copy stay in the background to serve
            # the clipboard, and would keep a pipe open.
            done = subprocess.run(
                list(argv),
                input=data,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=TIMEOUT,
                check=False,
                start_new_session=True,
            )
        except subprocess.TimeoutExpired:
            tried.append((name, "timeout"))
            continue
        except OSError as error:
            tried.append((name, error.strerror or type(error).__name__))
            continue
        if done.returncode == 0:
            return CopyResult(copied_by=name, tried=tuple(tried))
        tried.append((name, f"exit {done.returncode}"))
    return CopyResult(tried=tuple(tried))
