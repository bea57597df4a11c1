"""The schema's steps, as sqlite-utils `Migrations`. Imported only when a store needs them,
so opening an up-to-date store does not pay for importing sqlite-utils (start-up time)."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from netinbox.storefile import APPLICATION_ID

migrations = Migrations("netinbox")


def _run_script(db: Database, script: str) -> None:
    # Not executescript(): it commits the open transaction first, and a migration must
    # stay inside the one transaction that also sets user_version.
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


@migrations()
def m001_initial(db: Database) -> None:
    _run_script(
        db,
        f"""
        PRAGMA application_id = {APPLICATION_ID};
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE persons (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            platform TEXT NOT NULL,
            url_key TEXT,
            name_key TEXT NOT NULL,
            profile_url TEXT,
            name TEXT NOT NULL,
            headline TEXT NOT NULL DEFAULT '',
            company TEXT NOT NULL DEFAULT '',
            location TEXT NOT NULL DEFAULT '',
            contacts_visible TEXT NOT NULL DEFAULT 'unknown',
            mutual_contacts INTEGER,
            notes TEXT NOT NULL DEFAULT '',
            is_connection INTEGER NOT NULL DEFAULT 0
        );
        CREATE UNIQUE INDEX persons_url ON persons(platform, url_key) WHERE url_key IS NOT NULL;
        CREATE INDEX persons_name ON persons(platform, name_key);
        CREATE TABLE requests (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
            direction TEXT NOT NULL,
            received_at TEXT NOT NULL,
            message TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'new',
            decided_at TEXT,
            decision_note TEXT NOT NULL DEFAULT '',
            snoozed_until TEXT,
            status_before_snooze TEXT,
            due_at TEXT,
            invitation_id TEXT,
            flags TEXT NOT NULL DEFAULT '',
            version INTEGER NOT NULL DEFAULT 0,
            -- The request's row in the search index, newest first by construction: FTS5
            -- answers "newest 100 matches" from its own rowid order, fast at any size.
            search_key INTEGER GENERATED ALWAYS AS (
                CAST(strftime('%s', received_at) AS INTEGER) * 16777216 + (id % 16777216)
            ) STORED
        );
        CREATE UNIQUE INDEX requests_search_key ON requests(search_key);
        CREATE INDEX requests_person ON requests(person_id);
        CREATE INDEX requests_received ON requests(received_at DESC, id DESC);
        CREATE INDEX requests_status ON requests(status, received_at DESC, id DESC);
        CREATE INDEX requests_due ON requests(status, due_at);
        CREATE INDEX requests_counts ON requests(status, direction, flags);
        CREATE INDEX requests_invitation ON requests(invitation_id) WHERE invitation_id IS NOT NULL;
        CREATE TABLE drafts (
            request_id INTEGER PRIMARY KEY REFERENCES requests(id) ON DELETE CASCADE,
            body TEXT NOT NULL DEFAULT '',
            template TEXT NOT NULL DEFAULT '',
            updated_at TEXT
        );
        CREATE TABLE follow_ups (
            id INTEGER PRIMARY KEY,
            request_id INTEGER NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
            body TEXT NOT NULL DEFAULT '',
            sent_at TEXT NOT NULL,
            due_at TEXT NOT NULL,
            answered_at TEXT,
            answer TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX follow_ups_request ON follow_ups(request_id);
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            request_id INTEGER REFERENCES requests(id) ON DELETE CASCADE,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            data TEXT NOT NULL DEFAULT '{{}}',
            change_id INTEGER,
            undone INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX events_request ON events(request_id);
        CREATE INDEX events_change ON events(change_id);
        CREATE TABLE context_messages (
            id INTEGER PRIMARY KEY,
            request_id INTEGER NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
            at TEXT NOT NULL,
            sender TEXT NOT NULL DEFAULT '',
            content TEXT NOT NULL DEFAULT '',
            key TEXT NOT NULL UNIQUE
        );
        CREATE INDEX context_messages_request ON context_messages(request_id);
        CREATE TABLE tombstones (key TEXT PRIMARY KEY);
        CREATE VIRTUAL TABLE search USING fts5(
            name, headline, company, message, answer,
            tokenize = 'unicode61 remove_diacritics 2'
        );
        """,
    )


@migrations()
def m002_unknown_is_not_a_placeholder(db: Database) -> None:
    """A job title or company the source did not give is unknown, not a placeholder: the
    flags stored for empty ones go (a value like "tba" keeps its flag)."""
    for flag, column in (("placeholder_title", "headline"), ("placeholder_company", "company")):
        db.execute(
            f"UPDATE requests SET flags = replace(flags, ' {flag} ', ' ')"
            f" WHERE flags LIKE '% {flag} %' AND person_id IN"
            f" (SELECT id FROM persons WHERE trim({column}, ' ' || char(9, 160)) = '')"
        )


@migrations()
def m003_search_spells_out_umlauts(db: Database) -> None:
    """Rebuild the search index with words holding ä, ö, ü or ß also spelled out, so
    `krueger` finds Krüger and `Weiss` finds Weiß (`netinbox.searchtext`). The rowid stays
    the request's `search_key`; rows go in in rowid order (a few large FTS5 segments)."""
    from netinbox.searchtext import index_sql, register

    register(db.conn)
    answer = index_sql("coalesce(a.answer, '')")
    db.execute("DROP TABLE search")
    db.execute(
        "CREATE VIRTUAL TABLE search USING fts5(name, headline, company, message, answer,"
        " tokenize = 'unicode61 remove_diacritics 2')"
    )
    db.execute(
        "INSERT INTO search(rowid, name, headline, company, message, answer)"
        f" SELECT r.search_key, {index_sql('p.name')}, {index_sql('p.headline')},"
        f" {index_sql('p.company')}, {index_sql('r.message')},"
        f" {answer}"
        " FROM requests r JOIN persons p ON p.id = r.person_id"
        " LEFT JOIN (SELECT request_id, group_concat(answer, ' ') AS answer FROM follow_ups"
        " GROUP BY request_id) a ON a.request_id = r.id"
        " ORDER BY +r.search_key"
    )
    db.execute("INSERT INTO search(search) VALUES ('optimize')")


@migrations()
def m004_snoozed_in_wake_order(db: Database) -> None:
    """The Snoozed view lists the next to wake first, a page at a time: an index of the
    snoozed requests alone, in that order (a few rows; the others are not in it)."""
    db.execute(
        "CREATE INDEX IF NOT EXISTS requests_snoozed ON requests(status, snoozed_until, id)"
        " WHERE status = 'snoozed'"
    )


@migrations()
def m005_statistics_from_indexes(db: Database) -> None:
    """The statistics (`netinbox.stats`) read a period's requests month by month from an
    index holding every column they count, and the follow-ups by when they were sent: a
    year at 100,000 requests reads no request row."""
    db.execute(
        "CREATE INDEX IF NOT EXISTS requests_stats"
        " ON requests(received_at, person_id, direction, status, flags, due_at)"
    )
    db.execute(
        "CREATE INDEX IF NOT EXISTS follow_ups_sent"
        " ON follow_ups(sent_at, due_at, answered_at, request_id)"
    )


@migrations()
def m006_invitation_kinds_and_owed_answers(db: Database) -> None:
    """What an invitation is for (a person, a page, a newsletter, an event, a group), and
    the question someone asked the user about the user's own request (an answer owed).
    Indexes serve `type:…` (in time order) and the I owe an answer view (oldest question
    first). A request the user sent keeps only the flag that is the user's to mend: sent
    without a reason. (Columns and indexes are added only where missing.)"""
    columns = {row[1] for row in db.execute("PRAGMA table_info(requests)").fetchall()}
    for column, kind in (
        ("kind", "TEXT NOT NULL DEFAULT 'person'"),
        ("owed_at", "TEXT"),
        ("owed_question", "TEXT NOT NULL DEFAULT ''"),
    ):
        if column not in columns:
            db.execute(f"ALTER TABLE requests ADD COLUMN {column} {kind}")
    _run_script(
        db,
        """
        CREATE INDEX IF NOT EXISTS requests_kind ON requests(kind, received_at DESC, id DESC);
        CREATE INDEX IF NOT EXISTS requests_owed ON requests(owed_at, id)
            WHERE owed_at IS NOT NULL;
        UPDATE requests SET flags = CASE WHEN flags LIKE '% no_message %'
            THEN ' no_message ' ELSE ' ' END
            WHERE direction = 'outgoing' AND flags != ' ' AND flags != ' no_message '
        """,
    )


@migrations()
def m007_withdrawn_is_its_own_outcome(db: Database) -> None:
    """A request the user sent and then withdrew was stored as declined: it becomes
    withdrawn, its own outcome (the statistics count it apart from declines)."""
    db.execute(
        "UPDATE requests SET status = 'withdrawn' WHERE direction = 'outgoing' AND status = 'declined'"
    )
