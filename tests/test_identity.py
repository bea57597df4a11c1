"""The one rule for profile links (`netinbox.identity`): which hosts are LinkedIn or XING,
which links name a person, and the canonical link that is stored — the same for mails,
vCards, CSV files and links typed in by hand."""

from __future__ import annotations

import pytest

from netinbox.identity import (
    canonical_profile_url,
    is_safe_profile_url,
    platform_of_url,
    url_key,
)
from netinbox.kinds import Platform

LI, XING = Platform.LINKEDIN, Platform.XING


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # LinkedIn: www., no subdomain, country and mobile subdomains are one site.
        ("https://www.linkedin.com/in/max-muster", (LI, "https://www.linkedin.com/in/max-muster")),
        ("https://linkedin.com/in/max-muster/", (LI, "https://www.linkedin.com/in/max-muster")),
        ("https://de.linkedin.com/in/max-muster", (LI, "https://www.linkedin.com/in/max-muster")),
        ("https://m.linkedin.com/in/max-muster", (LI, "https://www.linkedin.com/in/max-muster")),
        ("http://WWW.LinkedIn.com/in/max-muster", (LI, "https://www.linkedin.com/in/max-muster")),
        # The mail links: /comm/ and tracking parameters go.
        (
            "https://www.linkedin.com/comm/in/max-muster?midToken=A&trk=eml-x",
            (LI, "https://www.linkedin.com/in/max-muster"),
        ),
        # The slug is kept as written (percent-encoding too).
        (
            "https://www.linkedin.com/in/j%C3%B6rdis-%C3%BCbermuth-7f3e21",
            (LI, "https://www.linkedin.com/in/j%C3%B6rdis-%C3%BCbermuth-7f3e21"),
        ),
        # An old public profile keeps its path; the name directory names nobody.
        (
            "https://de.linkedin.com/pub/max-muster/1a/2b/3c",
            (LI, "https://www.linkedin.com/pub/max-muster/1a/2b/3c"),
        ),
        ("https://www.linkedin.com/pub/dir/Max/Muster", None),
        # XING: /profile/<Name>, whatever follows.
        (
            "https://www.xing.com/profile/Max_Muster/cv?sc_o=mail",
            (XING, "https://www.xing.com/profile/Max_Muster"),
        ),
        ("https://m.xing.com/profile/Max_Muster", (XING, "https://www.xing.com/profile/Max_Muster")),
        # Not profiles: tracking redirects (whatever their target), company pages, the
        # Dec-2023 export's bare /in, other XING pages.
        ("https://www.linkedin.com/e/v2?e=1&url=https%3A%2F%2Fwww.linkedin.com%2Fin%2Fx", None),
        ("https://www.linkedin.com/company/beispiel/", None),
        ("https://www.linkedin.com/in", None),
        ("https://www.xing.com/notifications?synthetic=1", None),
        # Hosts that are not linkedin.com or xing.com: national domains and lookalikes.
        ("https://www.xing.de/profile/Max_Muster", None),
        ("https://www.linkedin.de/in/max-muster", None),
        ("https://linkedin.com.evil.example/in/max-muster", None),
        ("https://evil.example/in/max?u=https://www.linkedin.com/in/max", None),
        ("https://[www.linkedin.com/in/max", None),
        ("urn:li:member:123456", None),
    ],
)
def test_canonical_profile_url(url: str, expected: tuple[Platform, str] | None) -> None:
    assert canonical_profile_url(url) == expected
    if expected is not None:
        # What is stored is what `o` opens, and it names the same person as the link did.
        assert is_safe_profile_url(expected[1])
        assert url_key(expected[1]) == url_key(url)


@pytest.mark.parametrize(
    ("url", "platform"),
    [
        ("https://de.linkedin.com/company/beispiel", LI),
        ("https://m.linkedin.com/", LI),
        ("https://www.linkedin.com/e/v2?e=1", LI),
        ("https://mail.xing.com/x", XING),
        ("urn:li:member:123456", LI),
        ("https://www.xing.de/profile/Max_Muster", None),
        ("https://www.linkedin.de/in/max", None),
        ("https://linkedin.com.evil.example/in/x", None),
        ("https://lnkd.in/abc", None),
        ("not a link", None),
        (None, None),
    ],
)
def test_platform_of_url(url: str | None, platform: Platform | None) -> None:
    assert platform_of_url(url) is platform
