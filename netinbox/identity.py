"""Who is who: the keys under which the same person and the same request meet again.

A profile URL is the strongest key (`/in/<slug>`, lower-case, percent-decoded, no query or
trailing slash); without one, the normalised name within a platform (docs/reliability.md, C-13).
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, unquote, urlsplit

from netinbox.kinds import Platform
from netinbox.text import match_key

_URN = re.compile(r"^urn:li:(?:member|fs_miniProfile|person):([\w-]+)$", re.IGNORECASE)
ALLOWED_HOSTS = {"linkedin.com": Platform.LINKEDIN, "xing.com": Platform.XING}


def _split(url: str) -> SplitResult | None:
    """`urlsplit`, or None for text it refuses ("https://[www.linkedin.com/…" raises
    "Invalid IPv6 URL"): a link from a file is data, and bad data names nobody."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


def _odd_authority(parts: SplitResult) -> bool:
    """A user name, password or port in a profile link (or a port that is no number)."""
    try:
        return bool(parts.username or parts.password or parts.port)
    except ValueError:
        return True


def _platform_of_host(host: str) -> Platform | None:
    """The one host rule: linkedin.com, xing.com and their subdomains (www., m., de., …).
    Not linkedin.<country> nor xing.de: only these two are what `o` opens, and a lookalike
    such as linkedin.com.evil.example ends in neither."""
    host = host.lower()
    for domain, platform in ALLOWED_HOSTS.items():
        if host == domain or host.endswith("." + domain):
            return platform
    return None


def platform_of_url(url: str | None) -> Platform | None:
    """LinkedIn or XING from a link's host (any path), or from a LinkedIn member URN."""
    if not url:
        return None
    parts = _split(url.strip())
    found = _platform_of_host((parts.hostname if parts else None) or "")
    if found is not None:
        return found
    if _URN.match(url.strip()):
        return Platform.LINKEDIN
    return None


def canonical_profile_url(url: str) -> tuple[Platform, str] | None:
    """The platform and the canonical profile URL of a member link, else None.

    `https://de.linkedin.com/comm/in/<slug>?trk=…` → `https://www.linkedin.com/in/<slug>`;
    `https://m.xing.com/profile/<Name>/cv?sc=…` → `https://www.xing.com/profile/<Name>`;
    an old public profile `…/pub/<name>/1a/2b/3c` keeps its path on www.linkedin.com.
    The slug is kept as written (percent-encoding too), as in LinkedIn's own exports.
    A tracking redirect (`linkedin.com/e/v2?…`), a company page, the name directory
    (`/pub/dir/…`) or a bare `linkedin.com/in` names nobody: None, whatever a query parameter points to.
    """
    parts = _split(url.strip())
    if parts is None:
        return None
    platform = _platform_of_host(parts.hostname or "")
    segments = [s for s in parts.path.split("/") if s]
    if platform is Platform.LINKEDIN:
        if segments[:1] == ["comm"]:
            segments = segments[1:]
        if len(segments) >= 2 and segments[0] == "in":
            return platform, f"https://www.linkedin.com/in/{segments[1]}"
        if 2 <= len(segments) <= 5 and segments[0] == "pub" and segments[1] != "dir":
            return platform, "https://www.linkedin.com/" + "/".join(segments)
    elif platform is Platform.XING:
        if len(segments) >= 2 and segments[0] == "profile":
            return platform, f"https://www.xing.com/profile/{segments[1]}"
    return None


_COMMON = re.compile(
    r"^https?://(?:www\.|[a-z]{2}\.)?(linkedin\.com|xing\.com)/(?:comm/)?(in|profile|pub)/([^/?#%]+)/?(?:[?#].*)?$",
    re.IGNORECASE,
)


def url_key(url: str | None) -> str | None:
    """The stable part of a profile URL, or None when it names nobody in particular."""
    if not url:
        return None
    url = url.strip()
    common = _COMMON.match(url)  # the usual shape, without the cost of a full URL parse
    if common:
        host, kind, slug = common.groups()
        kind = "in" if kind.lower() in ("in", "pub") else kind.lower()
        return f"{host.lower()}/{kind}/{slug.lower()}"
    urn = _URN.match(url)
    if urn:
        return f"urn:{urn.group(1).lower()}"
    parts = _split(url if "//" in url else "https://" + url)
    if parts is None:
        return None
    path = unquote(parts.path).rstrip("/").lower()
    path = path.replace("/comm/in/", "/in/").replace("/pub/", "/in/")
    segments = [s for s in path.split("/") if s]
    if len(segments) < 2:  # e.g. the Dec-2023 export bug: "https://www.linkedin.com/in"
        return None
    host = (parts.hostname or "").lower().removeprefix("www.")
    for domain in ALLOWED_HOSTS:  # de.linkedin.com and www.linkedin.com are one site
        if host.endswith("." + domain):
            host = domain
    return f"{host}/{'/'.join(segments[:2])}"


def name_key(name: str) -> str:
    return match_key(name)


def is_safe_profile_url(url: str | None) -> bool:
    """Only https links to linkedin.com or xing.com may be opened (docs/reliability.md, B-11)."""
    if not url:
        return False
    parts = _split(url.strip())
    if parts is None or parts.scheme != "https" or _odd_authority(parts):
        return False
    return platform_of_url(url) is not None and not _URN.match(url.strip())


# Why a profile link typed in by hand cannot be used; `words.PROFILE_URL_PROBLEMS` words each.
NOT_A_LINK = "not_a_link"
NOT_HTTPS = "not_https"
NOT_A_PROFILE_SITE = "not_a_profile_site"
NO_PROFILE = "no_profile"
OTHER_PLATFORM = "other_platform"


def profile_url_problem(url: str, platform: Platform | str | None = None) -> str | None:
    """Why `url` cannot be a profile link typed in by hand (a code), or None if it can.

    The one rule for the add dialog and `netinbox add`: an https link on linkedin.com or
    xing.com that names a profile (what `o` will agree to open), on the chosen platform.
    """
    text = url.strip()
    parts = _split(text)
    if parts is None or not parts.scheme or not parts.netloc:
        return NOT_A_LINK
    found = platform_of_url(text)
    if found is None or _odd_authority(parts):
        return NOT_A_PROFILE_SITE
    if parts.scheme.lower() != "https":
        return NOT_HTTPS
    if url_key(text) is None:
        return NO_PROFILE
    if platform not in (None, Platform.OTHER, Platform.OTHER.value) and found.value != platform:
        return OTHER_PLATFORM
    return None


def profile_url_message(problem: str, url: str) -> str:
    """The sentence for a `profile_url_problem` code, in the interface's language."""
    from netinbox.words import profile_url_words

    platform = platform_of_url(url.strip())
    return profile_url_words(problem, platform.value if platform else "")


def tombstone_key(salt: bytes, platform: str, key: str) -> str:
    """A keyed hash, so a forgotten person is recognised without keeping who they were."""
    import hashlib  # here: only forgetting and importing need it, not the app's start
    import hmac

    return hmac.new(salt, f"{platform}|{key}".encode(), hashlib.sha256).hexdigest()


def tombstone_marks(url: str | None, name: str) -> list[str]:
    """What a forgotten person leaves behind. With a profile URL, the URL; their name then
    only keeps out records that have no URL of their own (another person may share it)."""
    if url:
        return [f"url:{url}", f"name-without-url:{name}"]
    return [f"name:{name}"]


def tombstone_lookups(url: str | None, name: str) -> list[str]:
    """The marks a new record is checked against (`url` and `name` are keys, not raw text)."""
    if url:
        return [f"url:{url}", f"name:{name}"]
    return [f"name:{name}", f"name-without-url:{name}"]
