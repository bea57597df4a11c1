"""Small helpers shared by the figures."""

from __future__ import annotations


def describe(error: BaseException) -> str:
    """One line naming an error: its type and its last line, shortened."""
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[-1] if text else ''}"[:300]
