"""The words for the core's codes, in one place: statuses, events, red flags, suggested
actions, views and networks. The core (store, rules, query) returns codes; the app and the
command line show them through these functions, in the interface's language.

Each table is built at import time, so its words are marked with `N_()` and translated by
the function that shows them (`_()` at the moment of showing).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from netinbox.i18n import N_, _, language, ngettext, pgettext

ACCEPTED_ON_PLATFORM = N_("Accepted on the platform (a connection in your export).")
"""The decision note of a request accepted on the platform: stored as it is (English) by
the store, translated where the profile shows it."""

STATUS_WORDS: dict[str, str] = {
    "new": N_("New"),
    "asked": N_("Asked why"),
    "answered": N_("Answered"),
    "accepted": N_("Accepted"),
    "declined": N_("Declined"),
    "snoozed": N_("Snoozed"),
    "could_not_ask": N_("Could not ask"),
    "withdrawn": N_("Withdrawn"),
}
"""A request's status (`kinds.Status`), as the profile names it."""

SENT_STATUS_WORDS: dict[str, str] = {
    "new": N_("Pending"),
    "accepted": N_("Accepted"),
    "declined": N_("Withdrawn"),
    "withdrawn": N_("Withdrawn"),
}
"""The status of a request the user sent, in the user's terms (others as received): the
profile says "Pending · LinkedIn · sent by you on …", as "New · LinkedIn · received …"."""

INVITATION_WORDS: dict[str, str] = {
    "page": N_("An invitation to follow a page"),
    "newsletter": N_("An invitation to subscribe to a newsletter"),
    "event": N_("An invitation to attend an event"),
    "group": N_("An invitation to join a group"),
}
"""What an invitation that is not a person's request is for (`kinds.InvitationKind`)."""

EVENT_WORDS: dict[str, str] = {
    "imported": N_("imported"),
    "added": N_("added by hand"),
    "asked": N_("asked why"),
    "answered": N_("answer recorded"),
    "accepted": N_("accepted"),
    "declined": N_("declined"),
    "withdrawn": N_("withdrawn"),
    "snoozed": N_("snoozed"),
    "woken": N_("back from snooze"),
    "could_not_ask": N_("could not ask"),
    "reopened": N_("reopened"),
    "note": N_("note"),
    "accepted_on_platform": N_("accepted on the platform"),
    "explained": N_("sent your reason"),
    "owed": N_("they asked you something"),
    "replied": N_("your answer recorded"),
}
"""An event of the decision log (`kinds.EventKind`), as the log lists it."""

FLAG_REASONS: dict[str, str] = {
    "no_message": N_("No personal message: the sender gave no reason."),
    "placeholder_title": N_("Job title is a placeholder such as “tba”."),
    "placeholder_company": N_("Company is a placeholder such as “tba”."),
    "contacts_hidden": N_("Their contact list is hidden."),
    "no_mutual": N_("You share no contacts."),
    "no_answer": N_("Asked why, and the deadline passed without an answer."),
}
"""Each red flag (`rules.FLAGS`) with the reason the user reads."""

SENT_FLAG_REASONS: dict[str, str] = {
    "no_message": N_("No personal message: you gave no reason."),
}
"""The flags of a request the user sent, in the user's own terms (rules 1–3 bind the
user too: only a missing reason is the user's to mend)."""

SUGGESTIONS: dict[str, str] = {
    "decided": N_("Decided. Reopen it to change your mind."),
    "no_answer": N_("No answer by the deadline: decline."),
    "waiting": N_("Asked why; waiting for the answer."),
    "answered": N_("They answered: read it and decide."),
    "cannot_ask": N_("The platform does not let you ask: decide later, or decline."),
    "no_reason": N_("No reason given: ask why they want to connect."),
    "has_reason": N_("They gave a reason: read the message and decide."),
    "invitation": N_("An invitation, not a contact request: nobody to ask. Decide."),
    "owed_answer": N_("They asked you something: answer them, then record it."),
    "they_accepted": N_("They accepted your request."),
    "withdrawn": N_("Withdrawn or declined. Reopen it to change that."),
    "you_withdrew": N_("You withdrew it. Reopen it to change that."),
    "reason_sent": N_("You sent your reason: wait for them to accept."),
    "forgot_reason": N_("You gave no reason: follow up with the reason you forgot."),
    "gave_reason": N_("You gave a reason: wait for them to accept."),
}
"""Why an action is suggested (`rules.Suggestion.why`)."""

VIEW_TITLES: dict[str, str] = {
    "new": N_("New"),
    "to_ask": N_("To ask"),
    "awaiting": N_("Awaiting answer"),
    "overdue": N_("Overdue"),
    "answered": N_("Answered"),
    "decided": N_("Decided"),
    "all": N_("All"),
    "snoozed": N_("Snoozed"),
    "sent": N_("Sent by me"),
    "owed": N_("I owe an answer"),
}
"""Each view (`query.View`) by its title."""


PLATFORM_NAMES: dict[str, str] = {"linkedin": "LinkedIn", "xing": "XING"}
"""The networks by their own names (the same in every language)."""

PLATFORM_TAGS: dict[str, str] = {"linkedin": "LI", "xing": "XI", "other": "--"}
"""Each network's two-letter tag in a narrow list."""


def status_word(status: str, direction: str = "incoming") -> str:
    """A request's status; a request the user sent in the user's terms."""
    if direction == "outgoing" and status in SENT_STATUS_WORDS:
        return _(SENT_STATUS_WORDS[status])
    return _(STATUS_WORDS[status]) if status in STATUS_WORDS else status


def invitation_words(kind: str) -> str:
    """What an invitation is for ("An invitation to follow a page"); "" for a person's."""
    return _(INVITATION_WORDS[kind]) if kind in INVITATION_WORDS else ""


def event_word(kind: str) -> str:
    return _(EVENT_WORDS[kind]) if kind in EVENT_WORDS else kind


def flag_reason(flag: str, direction: str = "incoming") -> str:
    """Why a flag is shown, in the words of the request's direction (`kinds.Direction`)."""
    if direction == "outgoing" and flag in SENT_FLAG_REASONS:
        return _(SENT_FLAG_REASONS[flag])
    return _(FLAG_REASONS[flag]) if flag in FLAG_REASONS else flag


def suggestion_text(why: str) -> str:
    return _(SUGGESTIONS[why]) if why in SUGGESTIONS else why


def view_title(view: str) -> str:
    return _(VIEW_TITLES[view]) if view in VIEW_TITLES else view


def short_view_title(view: str, *, tiny: bool = False) -> str:
    """A view's title where the filter bar is narrow; `tiny`: the shortest, for a bar that
    would lose its keys otherwise (80 columns, ten views, big counts)."""
    if tiny:
        return {
            "new": pgettext("tiny view title", "New"),
            "to_ask": pgettext("tiny view title", "Ask"),
            "awaiting": pgettext("tiny view title", "Wait"),
            "overdue": pgettext("tiny view title", "Late"),
            "answered": pgettext("tiny view title", "Read"),
            "decided": pgettext("tiny view title", "Done"),
            "all": pgettext("tiny view title", "All"),
            "snoozed": pgettext("tiny view title", "Snoozed"),
            "sent": pgettext("tiny view title", "Sent"),
            "owed": pgettext("tiny view title", "Owe"),
        }.get(view, view)
    short = {
        "new": pgettext("short view title", "New"),
        "to_ask": pgettext("short view title", "Ask"),
        "awaiting": pgettext("short view title", "Waiting"),
        "overdue": pgettext("short view title", "Overdue"),
        "answered": pgettext("short view title", "Answered"),
        "decided": pgettext("short view title", "Decided"),
        "all": pgettext("short view title", "All"),
        "snoozed": pgettext("short view title", "Snoozed"),
        "sent": pgettext("short view title", "Sent"),
        "owed": pgettext("short view title", "Owe"),
    }
    return short.get(view, view)


def platform_name(platform: str) -> str:
    """A network as a sentence names it: "LinkedIn", "XING", "another network"."""
    return PLATFORM_NAMES.get(platform) or _("another network")


def platform_after_on(platform: str) -> str:
    """A network where a request is acted on, after "on": "LinkedIn", "XING", "the
    platform" (German "der Plattform", after "auf")."""
    # Translators: follows "on" ("accept the request on the platform"); German: dative.
    return PLATFORM_NAMES.get(platform) or _("the platform")


def platform_label(platform: str) -> str:
    """A network as a list or a choice names it: "LinkedIn", "XING", "Other"."""
    return PLATFORM_NAMES.get(platform) or _("Other")


def query_error(kind: str, values: dict[str, str]) -> str:
    """A search term the app cannot read (`query.QueryError`), short enough for the
    search bar: what is wrong, and the likely fix."""
    term = values.get("term", "")
    guess = values.get("guess", "")
    if kind == "unknown_term":
        if guess:
            return _("%(term)s: unknown term; did you mean %(guess)s?") % values
        return _("%(term)s: unknown term; the help (?) lists them") % {"term": term}
    example = values.get("example", "")
    if kind == "unknown_state":
        if guess:
            return _("%(term)s: unknown state; did you mean %(guess)s?") % values
        return _("%(term)s: unknown state; e.g. %(example)s") % {"term": term, "example": example}
    if kind == "unknown_flag":
        if guess:
            return _("%(term)s: unknown flag; did you mean %(guess)s?") % values
        return _("%(term)s: unknown flag; e.g. %(example)s") % {"term": term, "example": example}
    if kind == "unknown_type":
        if guess:
            return _("%(term)s: unknown type; did you mean %(guess)s?") % values
        return _("%(term)s: unknown type; e.g. %(example)s") % {"term": term, "example": example}
    if kind == "due":
        return _("%(term)s: use due:overdue, due:today or due:soon") % {"term": term}
    if kind == "mutual":
        return _("%(term)s: mutual takes a number") % {"term": term}
    return _("%(term)s: use no:msg or has:msg") % {"term": term}


PROFILE_URL_PROBLEMS: dict[str, str] = {
    "not_a_link": N_("Use the full address, starting with https://"),
    "not_https": N_("Use the https:// address of the profile."),
    "not_a_profile_site": N_("Only profile links on linkedin.com or xing.com can be stored."),
    "no_profile": N_("This link names no profile; copy the address of the person's profile page."),
    "other_platform": N_("This is a {platform} profile: choose {platform} as the platform."),
}
"""Why a profile link typed in by hand cannot be used (`identity.profile_url_problem`)."""


def profile_url_words(problem: str, platform: str) -> str:
    """The sentence for a `profile_url_problem` code; `platform` is the link's network."""
    return _(PROFILE_URL_PROBLEMS[problem]).format(platform=PLATFORM_NAMES.get(platform, ""))


UNDONE_WORDS: dict[str, str] = {
    "asked": N_("asked %(who)s"),
    "answered": N_("recorded the answer of %(who)s"),
    "accepted": N_("accepted %(who)s"),
    "declined": N_("declined %(who)s"),
    "withdrawn": N_("withdrew your request to %(who)s"),
    "snoozed": N_("snoozed %(who)s"),
    "could_not_ask": N_("could not ask %(who)s"),
    "reopened": N_("reopened %(who)s"),
    "note": N_("note on %(who)s"),
    "added": N_("added %(who)s"),
    "explained": N_("sent your reason to %(who)s"),
    "replied": N_("recorded your answer to %(who)s"),
}
"""A change that undo takes back, by its event kind (`store.changes.Undone`)."""

SENT_UNDONE_WORDS: dict[str, str] = {
    "accepted": N_("recorded that %(who)s accepted your request"),
    "snoozed": N_("snoozed your request to %(who)s"),
    "reopened": N_("reopened your request to %(who)s"),
    "note": N_("note on your request to %(who)s"),
}
"""The same, where every request it touched was one the user sent."""


def undone_words(kind: str, name: str, count: int, direction: str = "incoming") -> str:
    """A change undo took back: "declined Vera Vorher", "asked 3 requests", "the import
    of 12 new requests"; on requests the user sent, in the user's terms ("recorded that
    Lena Vogt accepted your request")."""
    if kind == "imported":
        return ngettext(
            "the import of %(n)d new request", "the import of %(n)d new requests", count
        ) % {"n": count}
    who = name if count == 1 else ngettext("%(n)d request", "%(n)d requests", count) % {"n": count}
    if direction == "outgoing" and count == 1 and kind in SENT_UNDONE_WORDS:
        return _(SENT_UNDONE_WORDS[kind]) % {"who": who}
    if kind in UNDONE_WORDS:
        return _(UNDONE_WORDS[kind]) % {"who": who}
    return f"{kind} {who}"


def undo_refused(what: str, later: str, name: str) -> str:
    """Why an undo is refused: an import since then brought something about the request
    (`later`: "answered", "asked", "accepted_on_platform") that undoing would delete."""
    brought = {
        "answered": _("%(name)s's answer"),
        "asked": _("your question to %(name)s"),
        "accepted_on_platform": _("that %(name)s is connected with you"),
        "owed": _("a question from %(name)s"),
    }.get(later, later) % {"name": name}
    return _(
        "Cannot undo '%(what)s': an import since then brought %(brought)s, which "
        "undoing would delete. Change the request by hand instead."
    ) % {"what": what, "brought": brought}


IMPORT_KINDS: dict[str, str] = {
    "requests": N_("requests"),
    "connections": N_("connections"),
    "messages": N_("messages"),
}
"""What an import counted (`importing.ImportSummary.counts`)."""

IMPORT_OUTCOMES: dict[str, str] = {
    "new": N_("new"),
    "updated": N_("updated"),
    "unchanged": N_("unchanged"),
    "repeated": N_("repeated in the file"),
    "context": N_("context"),
    "forgotten": N_("forgotten"),
    "skipped (yourself)": N_("skipped (yourself)"),
    "not a request": N_("not a request"),
    "accepted on platform": N_("accepted on platform"),
    "ignored": N_("ignored"),
    "question": N_("question"),
    "answer": N_("answer"),
    "not from a requester": N_("not from a requester"),
}
"""What became of each counted row; " (just imported)" may follow."""


def import_kind(kind: str) -> str:
    return _(IMPORT_KINDS[kind]) if kind in IMPORT_KINDS else kind


def import_outcome(outcome: str) -> str:
    """An import outcome code ("updated", "answer (just imported)") in words."""
    code, just, _rest = outcome.partition(" (just imported)")
    words = _(IMPORT_OUTCOMES[code]) if code in IMPORT_OUTCOMES else code
    return words + (" " + _("(just imported)") if just else "")


RECORD_FIELDS: dict[str, str] = {
    "name": N_("name"),
    "sender_name": N_("sender"),
    "profile_url": N_("profile link"),
    "headline": N_("job title"),
    "position": N_("job title"),
    "company": N_("company"),
    "location": N_("location"),
    "message": N_("message"),
    "content": N_("message"),
    "received_at": N_("date"),
    "sent_at": N_("date"),
    "connected_on": N_("date"),
    "platform": N_("network"),
    "direction": N_("direction"),
    "kind": N_("type"),
    "mutual_contacts": N_("mutual contacts"),
    "contacts_visible": N_("contacts visible"),
}
"""The fields of an imported or added record, as a sentence about a problem names them."""


def record_problem(error: Mapping[str, Any], *, field: bool = True) -> str:
    """One pydantic error about a record (an import row, a request added by hand) in the
    user's words, never pydantic's own: "date: not a date", "name: missing"."""
    loc = [str(part) for part in error.get("loc", ())]
    where = loc[0] if loc else ""
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    if kind in ("value_error", "assertion_error"):
        # our own validators' words (netinbox.models), marked there with N_()
        what = _(str(error.get("msg", "")).removeprefix("Value error, "))
    elif kind == "missing":
        what = _("missing")
    elif kind == "string_too_long":
        what = _("longer than %(n)s characters") % {"n": context.get("max_length", "?")}
    elif kind in ("greater_than_equal", "greater_than"):
        what = _("must be at least %(n)s") % {"n": context.get("ge", context.get("gt", 0))}
    elif kind in ("int_parsing", "int_type", "int_from_float"):
        what = _("not a whole number")
    elif kind.startswith(("datetime", "date")):
        what = _("not a date")
    elif kind in ("enum", "literal_error"):
        what = _("one of %(expected)s") % {"expected": context.get("expected", "")}
    else:
        what = _("not a valid value")
    if not field or not where:
        return what
    return f"{_(RECORD_FIELDS[where]) if where in RECORD_FIELDS else where}: {what}"


def watch_mode(mode: str, interval: float) -> str:
    """How a watch on mailboxes waits for mail (`netinbox.watching.waiter`): "inotify"
    (the kernel says when mail comes) or "polling every 5 s"."""
    if mode == "inotify":
        return _("inotify")
    seconds = f"{interval:g}"
    if language().startswith("de"):
        seconds = seconds.replace(".", ",")
    return _("polling every {seconds} s").format(seconds=seconds)
