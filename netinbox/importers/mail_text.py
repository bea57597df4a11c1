"""A mail's bodies as text: the HTML body converted to lines and links, the lines above
the footer, paragraphs, greetings, quotes, button labels, and the inviter's profile link.
Shared by the LinkedIn and XING readers (`mail_linkedin`, `mail_xing`)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from html import unescape

from netinbox.identity import canonical_profile_url
from netinbox.models import Platform

#: Elements whose content is not text. An unclosed script or style hides the rest of the
#: document (as in a browser); an unclosed title hides nothing.
_HTML_SKIP = frozenset({"script", "style", "title"})
_HTML_PARAGRAPH = frozenset(
    {"p", "div", "table", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol"}
)
_HTML_LINE = frozenset({"br", "tr", "td", "th", "li"})
_TAG_NAME = re.compile(r"\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)")
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE)
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML white space; NBSP is text


def html_to_text(html: str) -> tuple[str, list[tuple[str, str]]]:
    """Text lines of an HTML body, never rendered (C-21), and its (href, link text) pairs.

    Tags are cut out first and only the text between them is unescaped, so an entity can
    never become a tag; the models and the display layer deal with what entities decode to
    (C1 controls, bidi overrides). A hand-written scan rather than `html.parser`: that
    parser is quadratic on crafted input in Python 3.11 (200 kB of `<!--a>` takes ~20 s),
    while every step here moves forward, so the cost is linear in the input.
    """
    chunks: list[str] = []
    links: list[tuple[str, str]] = []
    href: str | None = None
    link_text: list[str] = []
    position, size, next_close = 0, len(html), -1
    # Where the next </script>, </style>, </title> starts and ends (-1: none to the end);
    # remembered so that many unclosed elements do not rescan the rest again and again.
    end_tags: dict[str, tuple[int, int]] = {}

    def text(raw: str) -> None:
        if raw:
            value = unescape(_HTML_SPACE.sub(" ", raw))
            chunks.append(value)
            if href is not None:
                link_text.append(value)

    while position < size:
        opening = html.find("<", position)
        if opening < 0:
            text(html[position:])
            break
        text(html[position:opening])
        if html.startswith("<!--", opening):
            end = html.find("-->", opening + 4)
            position = size if end < 0 else end + 3
            continue
        follower = html[opening + 1 : opening + 2]
        if not follower or not (follower.isascii() and (follower.isalpha() or follower in "/!?")):
            text("<")  # "1 < 2": no tag starts here
            position = opening + 1
            continue
        if next_close <= opening:
            next_close = html.find(">", opening + 1)
            if next_close < 0:
                next_close = size
        inner_opening = html.find("<", opening + 1, next_close)
        if next_close >= size or inner_opening >= 0:
            # A `<` that opens no complete tag is text.
            stop = inner_opening if inner_opening >= 0 else size
            text(html[opening:stop])
            position = stop
            continue
        tag = html[opening + 1 : next_close]
        position = next_close + 1
        match = _TAG_NAME.match(tag)
        if match is None:
            continue  # <!DOCTYPE …>, <![endif]>, <?xml …?>
        closing, name = match.group(1) == "/", match.group(2).lower()
        if name in _HTML_SKIP and not closing:
            start, end = end_tags.get(name, (-2, -2))
            if start != -1 and start < position:
                found_end = re.compile(rf"</\s*{name}\b", re.IGNORECASE).search(html, position)
                start = -1 if found_end is None else found_end.start()
                end = -1 if found_end is None else html.find(">", found_end.end())
                end_tags[name] = (start, end)
            if start >= 0 and end >= 0:
                position = end + 1
            elif name != "title":
                position = size
        elif name in _HTML_PARAGRAPH:
            chunks.append("\n\n")
        elif name in _HTML_LINE:
            chunks.append("\n")
        elif name == "a" and not closing:
            found = _HREF.search(tag)
            href = unescape(next(g for g in found.groups() if g is not None)) if found else ""
            link_text = []
        elif name == "a" and href is not None:
            links.append((href, " ".join("".join(link_text).split())))
            href = None
    lines = (line.strip() for line in "".join(chunks).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip(), links


# --- Reading the body --------------------------------------------------------------------

#: A link in plain text, up to a space, bracket or quote.
URL_IN_TEXT = re.compile(r"https?://[^\s<>\"')\]]+", re.IGNORECASE)

FOOTER = re.compile(
    r"^\s*(?:[.\-_=·─]{10,}|This email was intended for|Diese E-Mail (?:ist|war|wurde)"
    r"|You are receiving|Unsubscribe|Abbestellen|Abmelden)",
    re.IGNORECASE,
)
LABEL = re.compile(
    r"^\s*(?:accept(?: invitation)?|annehmen|einladung annehmen|view profile"
    r"|profil (?:anzeigen|ansehen)|ignore|ignorieren|reply|antworten|anfrage ansehen"
    r"|view (?:invitation|request)|see all|alle anzeigen)\s*(?::.*)?$",
    re.IGNORECASE,
)
VIEW_PROFILE = re.compile(r"^\s*(?:view profile|profil (?:anzeigen|ansehen))\b", re.IGNORECASE)
GREETING = re.compile(
    r"^\s*(?:hi|hello|hey|dear|hallo|liebe[rs]?|guten tag|sehr geehrte[rs]?|moin|servus"
    r"|bonjour|hola|ciao)\b[^,\n]{0,60},\s*",
    re.IGNORECASE,
)
QUOTES = (
    ("„", "“"),
    ("„", "”"),
    ("“", "”"),
    ('"', '"'),
    ("«", "»"),
    ("»", "«"),
    ("‚", "‘"),
    ("‘", "’"),
    ("'", "'"),
)


def by_line(function: Callable[[str], str]) -> Callable[[str], str]:
    """`function` remembering its results for short texts: the lines of notification mails
    recur from mail to mail (stock phrases, labels, footers), and each is compared often."""
    memory: dict[str, str] = {}

    def remembering(text: str) -> str:
        found = memory.get(text)
        if found is None:
            found = function(text)
            if len(text) <= 500:
                if len(memory) >= 4096:
                    memory.clear()
                memory[text] = found
        return found

    return functools.update_wrapper(remembering, function)


@by_line
def compare_form(text: str) -> str:
    """Compare-form: casefolded, typographic apostrophes plain, hyphens and space collapsed."""
    text = text.casefold().replace("’", "'").replace("‘", "'").replace("-", " ")
    return " ".join(text.split())


def unquoted(text: str) -> str:
    text = text.strip()
    for opening, closing in QUOTES:
        if len(text) >= 2 and text.startswith(opening) and text.endswith(closing):
            return text[len(opening) : -len(closing)].strip()
    return text


def body_lines(text: str) -> list[str]:
    """Lines of a body up to the footer; str.splitlines would also split on U+2028."""
    lines: list[str] = []
    for line in re.split(r"\r\n|\n|\r", text):
        if FOOTER.match(line):
            break
        lines.append(line.rstrip())
    return lines


# A line that is a link, perhaps after a short label ("Accept: https://…"); a URL inside a
# sentence of the note is the sender's text.
_LINK_LINE = re.compile(r"^\s*(?:[^:\n]{1,40}:\s*)?<?https?://\S+>?\s*$", re.IGNORECASE)


def is_stop(line: str) -> bool:
    """A line that ends the note: a link line, a button label or the footer."""
    return bool(_LINK_LINE.match(line) or LABEL.match(line) or FOOTER.match(line))


def paragraph_after(lines: list[str], start: int) -> str:
    """The text from the first non-empty line at or after `start` up to a link or label."""
    index = start
    while index < len(lines) and not lines[index].strip():
        index += 1
    taken: list[str] = []
    while index < len(lines) and not is_stop(lines[index]):
        taken.append(lines[index])
        index += 1
    return "\n".join(taken).strip()


class Html:
    """The HTML body as text lines and links, converted when first asked for: the plain
    body usually answers everything, and the conversion is a good part of a mail's time."""

    __slots__ = ("_html", "_converted")

    def __init__(self, html: str) -> None:
        self._html = html
        self._converted: tuple[str, list[tuple[str, str]]] | None = None

    def _convert(self) -> tuple[str, list[tuple[str, str]]]:
        if self._converted is None:
            self._converted = html_to_text(self._html) if self._html else ("", [])
        return self._converted

    @property
    def text(self) -> str:
        return self._convert()[0]

    @property
    def links(self) -> list[tuple[str, str]]:
        return self._convert()[1]


def profile_link(lines: list[str], html: Html, name: str, platform: Platform) -> str | None:
    """The inviter's profile: in the plain body (its `body_lines`) the "View profile" link, else
    the first member link above the footer; in HTML only a link whose text is the name or a
    view-profile label, because the HTML header also links the receiver's own profile."""
    labelled = [line for line in lines if VIEW_PROFILE.match(line)]
    for line in labelled + lines:
        for url in URL_IN_TEXT.findall(line):
            found = canonical_profile_url(url)
            if found and found[0] is platform:
                return found[1]
    key = compare_form(name)
    for href, label in html.links:
        if compare_form(label) == key or VIEW_PROFILE.match(label):
            found = canonical_profile_url(href)
            if found and found[0] is platform:
                return found[1]
    return None


def paragraphs_of(text: str) -> list[str]:
    """The blank-line separated paragraphs of a body, as written."""
    blocks = re.split(r"\n[ \t]*\n", re.sub(r"\r\n?", "\n", text))
    return [block.strip() for block in blocks if block.strip()]
