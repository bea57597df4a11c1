"""C-24: every importer, fuzzed (docs/reliability.md, "Files from outside cannot hurt the store").

Each importer's real sample is mutated by hypothesis (bytes cut, inserted, replaced and
lines doubled, with the characters that break parsers: quotes, separators, NUL, BOMs,
line ends, encoded words, MIME boundaries) and handed to `netinbox import`, as a user
would. Whatever the bytes: never a traceback; either a clean import with its summary, or
exactly one line `netinbox: FILE[:LINE]: reason` and a store that is exactly as before —
never half-written. `--strict` is drawn too.

The default run tries a few dozen inputs per importer; `-m slow` (CI) tries hundreds.
"""

from __future__ import annotations

import io
import json
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import EXPORT, EXPORT_ZIP, SAMPLES

from .conftest import cli

NASTY = [
    b'"', b",", b";", b"\t", b"\r", b"\n", b"\r\n", b"\x00", b"\xff\xfe", b"\xfe\xff",
    b"\xef\xbb\xbf", b"\x1b]2;x\x07", b"\xc2\x9d", b"\xe2\x80\xae", b"\x80", b"\x81",
    b"=?utf-8?q?=1B]2;X=07?=", b"=?iso-8859-1?b?5OT8?=", b"From ", b"\n\nFrom x@y Mon Jan  1 00:00:00 2026\n",
    b"BEGIN:VCARD", b"END:VCARD", b"\r\n ", b"=\r\n", b";CHARSET=UTF-16", b";ENCODING=QUOTED-PRINTABLE",
    b"Content-Type: multipart/mixed; boundary=b\n\n--b\n", b"--b--", b"Content-Transfer-Encoding: base64\n",
    b"&#x9d;", b"&#x202e;", b"<p>", b"</", b"{", b"}", b"[", b"]", b'":', b"null", b"1e999",
    b"INCOMING", b"OUTGOING", b"2/30/26, 9:15 AM", b"13/45/26, 25:99 PM", b"2026-13-01",
    b"https://www.linkedin.com/in/", b"urn:li:member:1", b"x" * 300,
]  # fmt: skip

KINDS: dict[str, tuple[str, bytes]] = {
    "generic-csv": (
        "people.csv",
        b"name,date,message,profile url,direction,headline,company,platform\r\n"
        b'Anna Albers,2026-01-02,"Hi, we met",https://www.linkedin.com/in/anna,incoming,Dev,Acme,linkedin\r\n'
        b"Ben Brandt,02.01.2026,,https://www.xing.com/profile/Ben_Brandt,incoming,tba,-,xing\r\n"
        b'Carla Crespo,"1/19/26, 9:15 AM",Hallo,,outgoing,,,\r\n',
    ),
    "generic-json": (
        "people.json",
        b'{"requests": [{"name": "Anna Albers", "date": "2026-01-02T10:00:00Z", "message": "Hi",'
        b' "profile url": "https://www.linkedin.com/in/anna"}, {"full name": "Ben Brandt",'
        b' "received": "2026-01-03", "network": "xing", "title": "CEO", "note": null}]}',
    ),
    "invitations": ("Invitations.csv", (EXPORT / "Invitations.csv").read_bytes()),
    "messages": ("messages.csv", (EXPORT / "messages.csv").read_bytes()),
    "connections": ("Connections.csv", (EXPORT / "Connections.csv").read_bytes()),
    "profile": ("Profile.csv", (EXPORT / "Profile.csv").read_bytes()),
    "zip": ("export.zip", EXPORT_ZIP.read_bytes()),
    "mbox": ("notifications.mbox", (SAMPLES / "email" / "notifications.mbox").read_bytes()),
    "maildir": (
        "Maildir",
        (SAMPLES / "email" / "linkedin_invitation_with_note_de.eml").read_bytes(),
    ),
    "eml": ("invitation.eml", (SAMPLES / "email" / "linkedin_invitation_classic.eml").read_bytes()),
    "vcard": ("contacts.vcf", (SAMPLES / "vcard" / "contacts_v30_utf8_folded.vcf").read_bytes()),
}
ZIP_MEMBERS = {
    name: (EXPORT / name).read_bytes()
    for name in ("Invitations.csv", "messages.csv", "Connections.csv", "Profile.csv")
}


def apply_edits(seed: bytes, edits: list[tuple[str, float, float, bytes]]) -> bytes:
    data = bytearray(seed)
    for kind, where, span, chunk in edits:
        at = int(where * len(data))
        size = 1 + int(span * 40)
        if kind == "delete":
            del data[at : at + size]
        elif kind == "insert":
            data[at:at] = chunk
        elif kind == "replace":
            data[at : at + len(chunk)] = chunk
        elif kind == "truncate":
            del data[at:]
        elif kind == "double line":
            lines = bytes(data).split(b"\n")
            if lines:
                n = int(where * (len(lines) - 1))
                lines.insert(n, lines[n])
                data = bytearray(b"\n".join(lines))
    return bytes(data)


edits = st.lists(
    st.tuples(
        st.sampled_from(["delete", "insert", "replace", "truncate", "double line"]),
        st.floats(0, 1),
        st.floats(0, 1),
        st.sampled_from(NASTY) | st.binary(min_size=1, max_size=12),
    ),
    max_size=6,
)


def build(kind: str, folder: Path, mutate: Callable[[bytes], bytes], raw_zip: bool) -> Path:
    """Write the mutated input for `kind` into `folder`; the path to hand to `import`."""
    name, seed = KINDS[kind]
    path = folder / name
    if kind == "zip" and not raw_zip:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for member, data in ZIP_MEMBERS.items():
                archive.writestr(f"Basic_LinkedInDataExport/{member}", mutate(data))
        path.write_bytes(buffer.getvalue())
    elif kind == "maildir":
        for sub in ("cur", "new", "tmp"):
            (path / sub).mkdir(parents=True)
        (path / "cur" / "1700000000.1.host:2,S").write_bytes(mutate(seed))
        (path / "new" / "1700000001.2.host").write_bytes(
            (SAMPLES / "email" / "xing_contact_request.eml").read_bytes()
        )
    else:
        path.write_bytes(mutate(seed))
    return path


def state(db: Path) -> tuple:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return tuple(
            conn.execute(sql).fetchall()
            for sql in (
                "SELECT * FROM persons ORDER BY id",
                "SELECT * FROM requests ORDER BY id",
                "SELECT * FROM follow_ups ORDER BY id",
                "SELECT count(*) FROM events",
                "SELECT * FROM context_messages ORDER BY id",
            )
        )
    finally:
        conn.close()


SUMMARY = re.compile(r"^\d+ new, \d+ updated, \d+ unchanged, \d+ skipped$")


def check_import(kind: str, data: st.DataObject, strict: bool) -> None:
    chosen = data.draw(edits, label="edits")
    raw_zip = kind == "zip" and data.draw(st.booleans(), label="mutate the zip's own bytes")
    with tempfile.TemporaryDirectory(prefix="netinbox-fuzz-") as tmp:
        folder = Path(tmp)
        db = folder / "n.db"
        cli("add", "--db", db, "--name", "Already Here")  # someone who must survive
        before = state(db)
        path = build(kind, folder, lambda seed: apply_edits(seed, chosen), raw_zip)
        result = cli("import", "--db", db, path, *(["--strict"] if strict else []))
        check = sqlite3.connect(db)
        try:
            assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            check.execute("INSERT INTO search(search) VALUES ('integrity-check')")
        finally:
            check.close()
        if result.exit_code == 0:
            last = result.stdout.strip().splitlines()[-1]
            assert SUMMARY.match(last), result.stdout
            assert state(db)[0][0] == before[0][0]  # "Already Here" untouched
        else:
            line = result.stderr
            assert line.count("\n") == 1 and line.startswith("netinbox: "), repr(line)
            where, _, reason = line[len("netinbox: ") :].strip().rpartition(": ")
            assert reason.strip(), line
            assert where.startswith(str(path)), (where, str(path))
            assert state(db) == before, "a failed import changed the store"


LINK = "https://[www.linkedin.com/in/anna"
BRACKETS = {
    "people.csv": f"name,date,profile url\nAnna,2026-01-02,{LINK}\n",
    "people.json": json.dumps([{"name": "Anna", "date": "2026-01-02", "url": LINK}]),
    "Invitations.csv": "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n"
    f'Anna,Mira,"1/2/26, 9:15 AM",,INCOMING,{LINK},https://www.linkedin.com/in/mira\n',
    "Connections.csv": "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    f"Anna,Albers,{LINK},,Acme,Dev,12 Mar 2025\n",
    "card.vcf": f"BEGIN:VCARD\nVERSION:3.0\nFN:Anna Albers\nURL:{LINK}\nEND:VCARD\n",
}


# Found by this fuzzer: a '[' in a link's host made urlsplit raise "Invalid IPv6 URL".
@pytest.mark.parametrize("name", sorted(BRACKETS))
def test_c24_a_bracket_in_a_profile_link_is_a_row_problem_not_a_traceback(
    tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    path.write_text(BRACKETS[name], encoding="utf-8")
    result = cli("import", "--db", tmp_path / "n.db", path)
    assert result.exit_code == 0 or result.stderr.startswith(f"netinbox: {path}")


def test_c24_add_with_a_bracket_in_the_link_is_one_clear_line(tmp_path: Path) -> None:
    result = cli("add", "--db", tmp_path / "n.db", "--name", "Anna", "--url", LINK)
    assert result.exit_code != 0 and result.stderr.count("\n") == 1


def fuzz(examples: int) -> Callable:
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@pytest.mark.parametrize("kind", sorted(KINDS))
@fuzz(12)
@given(data=st.data(), strict=st.booleans())
def test_c24_every_importer_fuzzed_gives_an_import_or_one_clear_line(
    kind: str, data: st.DataObject, strict: bool
) -> None:
    check_import(kind, data, strict)


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(KINDS))
@fuzz(150)
@given(data=st.data(), strict=st.booleans())
def test_c24_every_importer_fuzzed_at_length(kind: str, data: st.DataObject, strict: bool) -> None:
    check_import(kind, data, strict)


@fuzz(40)
@given(data=st.binary(max_size=3000), name=st.sampled_from([k[0] for k in KINDS.values()]))
def test_c24_any_bytes_under_any_name(data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory(prefix="netinbox-fuzz-") as tmp:
        path = Path(tmp) / name.replace("Maildir", "mail.txt")
        path.write_bytes(data)
        result = cli("import", "--db", Path(tmp) / "n.db", path)
        assert result.exit_code == 0 or (
            result.stderr.startswith(f"netinbox: {path}") and result.stderr.count("\n") == 1
        ), result.output
