"""What the screen must show when each step is done, read from the store before any app runs.

netinbox's own `Store` and `Query` say which rows a view holds and in which order (that is
what the app shows); the search counts come from the hand-written SQL of `plan.py`, so a
search that shows another count than the same question asked by hand never "settles".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

#: Characters of a name compared in the list (its name column is narrow) and the profile.
LIST_CHARS = 12
PROFILE_CHARS = 40
#: Rows of the first view whose names are read: enough for 15 page-downs from row 100.
NAMES = 1_000


@dataclass
class ViewShown:
    key: str  # the key that shows it: "1" … "9", "0"
    name: str  # View's value
    title: str
    count: int
    firsts: list[str]  # the first rows' names (a passing deadline may drop the first)


@dataclass
class Words:
    """The words of the app's screen the harness reads, in the interface's language."""

    language: str = "en"
    profile: str = "Profile"  # the profile pane's title
    draft: str = "Draft"  # the draft pane's title
    searched: str = "searched"  # the list's title after a search: `New · 3 · searched`
    no_draft: str = "No draft yet"  # the start of the empty draft pane's placeholder


@dataclass
class Expect:
    first_view: ViewShown  # the view the app opens on
    names: list[str]  # the first view's rows, in order (the first NAMES of them)
    last: str  # the first view's last row
    draft: str  # what the draft pane shows for the first row
    views: list[ViewShown] = field(default_factory=list)
    pages: Path | None = None  # the floor table's rows (`bare.py`)
    words: Words = field(default_factory=Words)


def words(language: str) -> Words:
    """The app's words in `language`, from its own catalogue (as the app says them)."""
    from netinbox.i18n import _, set_language

    set_language(language)
    try:
        placeholder = _("No draft yet. Press %(ask)s in the list to write a follow-up.")
        return Words(language, _("Profile"), _("Draft"), _("searched"),
                     placeholder.split(".")[0].split("%(")[0].strip())  # fmt: skip
    finally:
        set_language("en")


def read(store_path: Path, folder: Path, language: str = "en") -> Expect:
    """What the screens show, in the interface's `language` ("en", "de")."""
    from netinbox.i18n import set_language

    said = words(language)
    set_language(language)  # the views' titles
    try:
        return _read(store_path, folder, said)
    finally:
        set_language("en")


def _read(store_path: Path, folder: Path, said: Words) -> Expect:
    from netinbox.query import Query, View
    from netinbox.store import Store

    with Store(store_path) as store:
        counts = store.counts()
        views = []
        pages: dict[str, object] = {}
        for number, view in enumerate(View, start=1):
            key = str(number % 10)  # the tenth view is on 0, as on a keyboard's number row
            rows = store.rows(Query(view=view), 0, 100)
            views.append(
                ViewShown(key, view.value, view.title, counts[view],
                          [r.name for r in rows[:3]])
            )  # fmt: skip
            pages[key] = {
                "title": view.title,
                "name": view.value,
                "count": counts[view],
                "rows": [[r.name, r.headline, r.company, r.received_at.date().isoformat()]
                         for r in rows],
            }  # fmt: skip
        every = next(v for v in views if v.name == View.ALL.value)  # not the last: Snoozed is
        first = views[0] if views[0].count else every  # New, or All when New is empty
        query = Query(view=View(first.name))
        names = [r.name for r in store.rows(query, 0, NAMES)]
        last = store.rows(query, max(first.count - 1, 0), 1)
        draft = said.no_draft
        if names:
            detail = store.get(store.rows(query, 0, 1)[0].id)
            if detail.draft is not None and detail.draft.body.strip():
                draft = detail.draft.body.strip().splitlines()[0][:20]
    path = folder / "bare-table.json"
    path.write_text(json.dumps(pages, ensure_ascii=False), encoding="utf-8")
    return Expect(
        first_view=first,
        names=names,
        last=last[0].name if last else "",
        draft=draft,
        views=views,
        pages=path,
        words=said,
    )
