"""The review loop's steps say what happened and change nothing on the screen: each returns
an `Outcome` (what to tell, which request to keep, whether to move on, what to draft) that
the main screen applies. Here the loop runs against a host that cannot be changed."""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import Any

import pytest

from netinbox.models import RequestDetail, Status
from netinbox.store import Store
from netinbox.templates import TemplateBook
from netinbox.tui import review
from netinbox.tui.actions import keys_of
from netinbox.tui.review import Note, Outcome, ReviewLoop
from tests.conftest import T0


@dataclass(frozen=True)
class Draft:
    text: str = ""
    template: str = ""
    request_id: int | None = None


@dataclass(frozen=True)
class Requests:
    marked: frozenset[int] = frozenset()  # frozen: the loop may not unmark by itself
    current_id: int | None = None


class Opener:
    def __init__(self) -> None:
        self.opened: list[str] = []

    def open_url(self, url: str) -> None:
        self.opened.append(url)


@dataclass(frozen=True)
class FrozenHost:
    """The main screen as the loop sees it, with every member read-only."""

    store: Store
    book: TemplateBook
    shown: int | None
    draft: Draft = Draft()
    requests: Requests = Requests()
    zone: tzinfo = UTC
    app: Any = field(default_factory=Opener)
    applied: list[Outcome | None] = field(default_factory=list)

    def now(self) -> datetime:
        return T0

    def today(self) -> date:
        return T0.date()

    def current(self) -> RequestDetail | None:
        return self.store.get(self.shown) if self.shown is not None else None

    def key_for(self, binding_id: str) -> str:
        return keys_of(binding_id, {})[0]

    def save_draft_now(self) -> None:
        pass

    def apply(self, outcome: Outcome | None) -> None:
        self.applied.append(outcome)


@pytest.fixture
def host(store: Store, add: Callable[..., int]) -> Callable[..., FrozenHost]:
    def make(**fields: Any) -> FrozenHost:
        fields.setdefault(
            "shown", add("Ben Brandt", profile_url="https://www.xing.com/profile/Ben")
        )
        return FrozenHost(store, store.config.template_book(), **fields)

    return make


def test_the_loop_does_not_import_the_main_screen() -> None:
    tree = ast.parse(Path(review.__file__).read_text(encoding="utf-8"))
    modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert "netinbox.tui.screens.main" not in modules


def test_ask_fills_the_draft_and_types_in_it(host: Callable[..., FrozenHost]) -> None:
    outcome = ReviewLoop(host()).ask()
    assert outcome is not None and outcome.edit_draft and outcome.draft is not None
    text, template = outcome.draft
    assert text.startswith("Hello Ben,") and template
    assert outcome.notes[0].text.startswith("Not signed: no name is known.")
    assert not outcome.refresh  # nothing changed in the store


def test_ask_on_a_started_draft_goes_on_typing(host: Callable[..., FrozenHost]) -> None:
    outcome = ReviewLoop(host(draft=Draft("Hi Ben, why?", "", 1))).ask()
    assert outcome == Outcome(edit_draft=True)


def test_a_change_keeps_the_request_and_undo_brings_it_back(
    host: Callable[..., FrozenHost], store: Store
) -> None:
    shown = host()
    loop = ReviewLoop(shown)
    request_id = shown.shown
    outcome = loop.could_not_ask()
    assert outcome == Outcome(
        notes=(Note("Marked Ben Brandt: could not ask."),), refresh=True, keep=request_id
    )
    assert store.get(request_id or 0).request.status == Status.COULD_NOT_ASK
    undone = loop.undo()
    assert undone.keep == request_id and undone.refresh
    assert undone.notes[0].text.startswith("Undid: ")
    assert loop.undo() == Outcome.say("Nothing to undo.")


def test_open_profile_says_what_it_opens(host: Callable[..., FrozenHost]) -> None:
    shown = host()
    outcome = ReviewLoop(shown).open_profile()
    assert outcome == Outcome.say("Opening https://www.xing.com/profile/Ben")
    assert shown.app.opened == ["https://www.xing.com/profile/Ben"]


def test_bulk_steps_without_marks_say_how_to_mark(host: Callable[..., FrozenHost]) -> None:
    loop = ReviewLoop(host())
    assert loop.ask_marked() == Outcome.say("Mark requests with space first.", "warning")
    assert loop.decline_marked() == Outcome.say("Mark requests with space first.", "warning")


def test_without_a_request_a_step_does_nothing(host: Callable[..., FrozenHost]) -> None:
    loop = ReviewLoop(host(shown=None))
    for step in ("ask", "send", "accept", "decline", "snooze", "reopen", "open_profile"):
        assert getattr(loop, step)() is None, step
