"""Normalisation helpers that later stages (records, evaluation, summary) share with the
components. Plain Python: importing this module never imports spaCy."""

from __future__ import annotations

import re
import unicodedata
from functools import cache


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
    part put back in front ("Congo, The Democratic Republic of the" -> "The Democratic Republic
    of the Congo"). The countries component can override it per pipeline (display_names)."""
    import pycountry

    country = pycountry.countries.get(alpha_2=iso2)
    if country is None:
        raise KeyError(iso2)
    name = getattr(country, "common_name", None) or country.name
    if ", " in name:
        head, tail = name.split(", ", 1)
        name = f"{tail} {head}"
        name = name[0].upper() + name[1:]
    return name


@cache
def iso3(iso2: str) -> str:
    import pycountry

    return pycountry.countries.get(alpha_2=iso2).alpha_3
