"""Normalisation helpers that later stages (records, evaluation, summary) share with the
components. Plain Python: importing this module never imports spaCy."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from .resources import Spec

_DOMAINS = Spec(keys={"domains": dict, "government_prefixes": list})


def norm_key(name: str) -> str:
    """The comparison key of a name (the normalisation ../shared/GOLD.md scores with)."""
    text = unicodedata.normalize("NFKC", name).lower().replace("’", "'")
    text = re.sub(r"^the ", "", text)
    text = re.sub(r"'s$", "", text)
    text = re.sub(r"[^\w&\- ]|_", "", text)
    return re.sub(r" +", " ", text).strip()


@cache
def country_name(iso2: str) -> str:
    """A readable English name from pycountry: its common name, else its name with an inverted
    "..., X of" put back in front ("Korea, Republic of" -> "Republic of Korea"). The countries
    component overrides it per pipeline (its display_names)."""
    import pycountry

    country = pycountry.countries.get(alpha_2=iso2)
    if country is None:
        raise KeyError(iso2)
    name = getattr(country, "common_name", None) or country.name
    head, _, tail = name.partition(", ")
    if tail.endswith((" of", " of the")):
        name = f"{tail[0].upper()}{tail[1:]} {head}"
    return name


def organisation_of_address(address: str) -> str | None:
    """The body an e-mail domain belongs to (domains.json), or the government of a country for
    a government domain ("mhach.gov.zw" -> "Government of Zimbabwe")."""
    from .resources import load_shared

    vocab = load_shared("domains.json", _DOMAINS)
    domain = address.rsplit("@", 1)[-1].lower()
    parts = domain.split(".")
    for i in range(len(parts) - 1):
        known = vocab["domains"].get(".".join(parts[i:]))
        if known:
            return known
    if len(parts) >= 3 and parts[-2] in vocab["government_prefixes"] and len(parts[-1]) == 2:
        try:
            return f"Government of {country_name(parts[-1].upper())}"
        except KeyError:
            return None
    return None
