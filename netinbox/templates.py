"""Follow-up questions: polite, short, asking for the reason of the request.

Placeholders are `{first_name}`, `{name}`, `{platform}` and `{my_name}`. A missing value
never crashes and never leaves a `{…}` in the text: the sentence is written so that the
greeting still reads well without a name.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass

from netinbox.i18n import N_
from netinbox.text import first_name
from netinbox.words import PLATFORM_NAMES

PLACEHOLDERS = ("first_name", "name", "platform", "my_name")

ASK = "ask"
"""A template's purpose: asking the sender of a request why they want to connect."""
REASON = "reason"
"""A template's purpose: following up on the user's own request with the reason it lacked."""
ANSWER = "answer"
"""A template's purpose: answering someone who asked the user about the user's own request."""
REASON_MARK = "…"
"""Where the user writes the reason in a `REASON` or `ANSWER` template: the draft's cursor
goes there."""


@dataclass(frozen=True)
class Template:
    id: str
    language: str  # "en", "de", "de-du", or the user's own code
    title: str
    body: str
    purpose: str = ASK


DEFAULT_TEMPLATES: tuple[Template, ...] = (
    Template(
        "en",
        "en",
        N_("English"),
        "Hello {first_name},\n\n"
        "thank you for your contact request on {platform}. I only connect with people "
        "when I know why, and I could not tell from your profile what you have in mind. "
        "Could you tell me briefly why you would like to connect?\n\n"
        "Best regards,\n{my_name}",
    ),
    Template(
        "en-short",
        "en",
        N_("English, short"),
        "Hi {first_name}, thanks for the request! What made you want to connect? — {my_name}",
    ),
    Template(
        "de",
        "de",
        N_("Deutsch (Sie)"),
        "Guten Tag {name},\n\n"
        "vielen Dank für Ihre Kontaktanfrage auf {platform}. Ich vernetze mich nur, wenn "
        "ich weiß, worum es geht, und konnte das Ihrem Profil nicht entnehmen. Darf ich "
        "fragen, weshalb Sie sich mit mir vernetzen möchten?\n\n"
        "Mit freundlichen Grüßen\n{my_name}",
    ),
    Template(
        "de-du",
        "de-du",
        N_("Deutsch (du)"),
        "Hallo {first_name},\n\n"
        "danke für deine Kontaktanfrage auf {platform}! Ich vernetze mich gern, möchte "
        "aber wissen, worum es dir geht. Magst du mir kurz schreiben, warum du dich "
        "vernetzen möchtest?\n\n"
        "Viele Grüße\n{my_name}",
    ),
    # Following up on a request the user sent without a message: the reason they forgot.
    Template(
        "en-reason",
        "en",
        N_("English: my reason"),
        "Hello {first_name},\n\n"
        "I sent you a contact request on {platform} without saying why, sorry about that. "
        "I would like to connect because …\n\n"
        "Best regards,\n{my_name}",
        REASON,
    ),
    Template(
        "de-reason",
        "de",
        N_("Deutsch (Sie): mein Grund"),
        "Guten Tag {name},\n\n"
        "ich habe Ihnen auf {platform} eine Kontaktanfrage ohne Nachricht geschickt und "
        "möchte das nachholen: Ich würde mich gern mit Ihnen vernetzen, weil …\n\n"
        "Mit freundlichen Grüßen\n{my_name}",
        REASON,
    ),
    Template(
        "de-du-reason",
        "de-du",
        N_("Deutsch (du): mein Grund"),
        "Hallo {first_name},\n\n"
        "ich habe dir auf {platform} eine Kontaktanfrage ohne ein Wort dazu geschickt, "
        "sorry! Ich würde mich gern mit dir vernetzen, weil …\n\n"
        "Viele Grüße\n{my_name}",
        REASON,
    ),
    # Answering a question about a request the user sent: they asked why, or wrote after it.
    Template(
        "en-answer",
        "en",
        N_("English: my answer"),
        "Hello {first_name},\n\n"
        "thank you for asking. I would like to connect because …\n\n"
        "Best regards,\n{my_name}",
        ANSWER,
    ),
    Template(
        "de-answer",
        "de",
        N_("Deutsch (Sie): meine Antwort"),
        "Guten Tag {name},\n\n"
        "vielen Dank für Ihre Nachfrage. Ich würde mich gern mit Ihnen vernetzen, weil …\n\n"
        "Mit freundlichen Grüßen\n{my_name}",
        ANSWER,
    ),
    Template(
        "de-du-answer",
        "de-du",
        N_("Deutsch (du): meine Antwort"),
        "Hallo {first_name},\n\n"
        "danke für deine Nachfrage! Ich würde mich gern mit dir vernetzen, weil …\n\n"
        "Viele Grüße\n{my_name}",
        ANSWER,
    ),
)

_GAP = re.compile(r"[ \t]+([,.!?])|[ \t]{2,}")
_OUR_FIELD = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")


#: German and common spellings of our placeholders, for "did you mean".
_LIKELY = {
    "vorname": "first_name",
    "firstname": "first_name",
    "first": "first_name",
    "nachname": "name",
    "full_name": "name",
    "fullname": "name",
    "plattform": "platform",
    "network": "platform",
    "netzwerk": "platform",
    "mein_name": "my_name",
    "myname": "my_name",
    "me": "my_name",
    "ich": "my_name",
}


def template_problems(body: str) -> list[tuple[str, str]]:
    """What is wrong with a user's template: ("unknown_placeholder", "name likely") for a
    `{name}` that is not ours (likely: our closest placeholder, or nothing), or
    ("unbalanced_braces", "") for a `{` or `}` without its pair."""
    from difflib import get_close_matches

    try:
        fields = [field for _, field, _, _ in string.Formatter().parse(body) if field is not None]
    except ValueError:
        return [("unbalanced_braces", "")]
    problems: list[tuple[str, str]] = []
    for field in fields:
        name = field.split(".")[0].split("[")[0]
        if name in PLACEHOLDERS:
            continue
        guess = _LIKELY.get(name.casefold()) or next(
            iter(get_close_matches(name.casefold(), PLACEHOLDERS, n=1, cutoff=0.6)), ""
        )
        problems.append(("unknown_placeholder", f"{field} {guess}".strip()))
    return problems


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def render(body: str, values: Mapping[str, str | None]) -> str:
    """Fill placeholders; unknown or missing ones become empty, stray braces stay literal."""
    clean = _Blank({k: (v or "").strip() for k, v in values.items() if k in PLACEHOLDERS})
    out: list[str] = []
    for literal, field, spec, conversion in string.Formatter().parse(body):
        out.append(literal)
        if field is None:
            continue
        if field in PLACEHOLDERS:
            out.append(clean[field])
        else:
            # Not one of ours: keep it as written, so the user sees and fixes it.
            inner = field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            out.append("{" + inner + "}")
    return _tidy("".join(out))


def _tidy(text: str) -> str:
    """Close the gaps an empty value leaves: no double spaces, no space before punctuation."""
    lines = [_GAP.sub(lambda m: m.group(1) or " ", line).rstrip() for line in text.split("\n")]
    return "\n".join(line.replace(" ,", ",") for line in lines).strip()


def safe_render(body: str, values: Mapping[str, str | None]) -> str:
    try:
        return render(body, values)
    except ValueError:  # unbalanced braces in a user template: fill ours, keep the rest as written
        clean = {k: (v or "").strip() for k, v in values.items() if k in PLACEHOLDERS}
        return _tidy(_OUR_FIELD.sub(lambda m: clean.get(m.group(1), ""), body))


#: Why a filled draft is not complete: the template signs with `{my_name}` and no name is
#: known (no `my_name` in the config, no Profile.csv imported).
NO_SIGNATURE = "no_signature"
_SIGN = "\x00my_name\x00"  # stands in for the missing name while the text is filled
_DANGLING = re.compile(r"[ \t]*[—–\-,:;]*[ \t]*$")


@dataclass(frozen=True)
class Filled:
    """A filled template, and what it lacks (`NO_SIGNATURE`), for the app to say."""

    text: str
    missing: tuple[str, ...] = ()


def _unsigned(text: str) -> str:
    """The text without the signature that has no name: a short closing on its own line
    before it ("Best regards," / "Viele Grüße") goes too, and an inline "— " before it."""
    lines: list[str | None] = list(text.split("\n"))
    for index, line in enumerate(lines):
        if line is None or _SIGN not in line:
            continue
        rest = line.replace(_SIGN, "")
        if rest.strip():  # "… connect? — {my_name}": the dash goes with the name
            lines[index] = _DANGLING.sub("", rest)
            continue
        lines[index] = None
        closing = lines[index - 1] if index > 0 else None
        if closing and len(closing) <= 40 and not closing.rstrip().endswith((".", "?", "!")):
            lines[index - 1] = None
    return "\n".join(line for line in lines if line is not None).strip()


class TemplateBook:
    """The defaults plus the user's own templates (a user template with a default's id wins)."""

    def __init__(self, user: Mapping[str, Template] | None = None) -> None:
        merged = {t.id: t for t in DEFAULT_TEMPLATES}
        merged.update(user or {})
        self.templates: list[Template] = list(merged.values())

    def ids(self) -> list[str]:
        return [t.id for t in self.templates]

    def _of(self, purpose: str) -> list[Template]:
        return [t for t in self.templates if t.purpose == purpose] or self.templates

    def get(self, template_id: str) -> Template:
        for template in self.templates:
            if template.id == template_id:
                return template
        return self.templates[0]

    def for_language(self, language: str, purpose: str = ASK) -> Template:
        """The first template for `language` and `purpose` (asking why, or giving the
        user's own reason), else the first for the purpose."""
        chosen = self._of(purpose)
        for template in chosen:
            if template.language == language:
                return template
        for template in chosen:
            if template.id == language:
                return template
        return chosen[0]

    def next_after(self, template_id: str, purpose: str = ASK) -> Template:
        """The next template for the same purpose (`t` cycles through them)."""
        chosen = self._of(purpose)
        ids = [t.id for t in chosen]
        index = ids.index(template_id) if template_id in ids else -1
        return chosen[(index + 1) % len(ids)]

    def fill(self, template: Template, *, name: str, platform: str, my_name: str) -> str:
        return self.fill_draft(template, name=name, platform=platform, my_name=my_name).text

    def fill_draft(self, template: Template, *, name: str, platform: str, my_name: str) -> Filled:
        """The template filled in. Without a name to sign with, the signature and the
        closing before it are left out (no "Best regards," with nothing after it) and
        `missing` says `NO_SIGNATURE`, so the app can tell the user."""
        signed = bool(my_name.strip())
        values = {
            "first_name": first_name(name),
            "name": name,
            "platform": PLATFORM_NAMES.get(platform, ""),
            "my_name": my_name if signed else _SIGN,
        }
        text = safe_render(template.body, values)
        if signed or _SIGN not in text:
            return Filled(text)
        return Filled(_tidy(_unsigned(text)), (NO_SIGNATURE,))


# Words that say a text is German (or English), folded to lower case: common function
# words of a short message or headline, and the endings of German job titles.
_GERMAN_WORDS = frozenset(
    "ich sie du und mit bei für fuer nicht gerne gern ihnen ihr dich dir mich mir wir uns "
    "hallo guten tag grüße gruesse liebe lieber sehr geehrte geehrter herr frau möchte "
    "moechte würde wuerde freue vernetzen netzwerk kontakt über ueber aus der die das den "
    "dem ein eine einen einem auch noch habe haben ist sind wäre waere leiter leiterin "
    "geschäftsführer geschäftsführerin berater beraterin inhaber inhaberin vertrieb "
    "personal entwicklung gmbh ag e.v. mbh kg".split()
)
_ENGLISH_WORDS = frozenset(
    "i you and with at for not would like to connect your my we our hello hi dear the a an "
    "of in on is are be have has looking forward network manager director head consultant "
    "engineer founder inc ltd llc".split()
)
_WORD = re.compile(r"[\w.äöüß]+")


def _score(text: str) -> int:
    """German words minus English ones (umlauts and ß count as German)."""
    words = _WORD.findall(text.casefold())
    german = sum(word in _GERMAN_WORDS or any(c in word for c in "äöüß") for word in words)
    return german - sum(word in _ENGLISH_WORDS for word in words)


def sender_language(platform: str, message: str, headline: str) -> str | None:
    """The language the sender likely writes, where the app can tell: "de" for a German
    message, else a XING request or a German headline; "en" for an English message or
    headline; None when nothing says. The follow-up template in that language is
    suggested first (`t` still cycles)."""
    from netinbox.rules import is_stock_message

    if message.strip() and not is_stock_message(message):
        score = _score(message)
        if score:
            return "de" if score > 0 else "en"
    if platform == "xing":
        return "de"
    for text in (headline, message):  # then the platform's stock sentence, in their language
        score = _score(text)
        if score:
            return "de" if score > 0 else "en"
    return None


def template_language(sender: str | None, configured: str, given: bool, interface: str) -> str:
    """The language of the follow-up to suggest first: the sender's, in the user's own
    form of it (a German sender gets `de-du` if the user chose du, else `de`); with
    nothing known of the sender, the config's `language`, else the interface's."""
    if sender == "de":
        return configured if configured.startswith("de") else "de"
    if sender == "en":
        return configured if configured.startswith("en") else "en"
    return configured if given else interface
