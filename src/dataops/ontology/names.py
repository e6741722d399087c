"""Column and property names: split into words, expand abbreviations, map synonyms, compare.

Levels of a name match, best first (the score is what ``suggest`` weighs as the name part):

- 1.0  the same words after normalisation (``customer_id`` ↔ ``customerId``, ``e_mail``)
- 0.9  the same after expanding abbreviations (``cust_id`` ↔ ``customer_id``, ``DOB``)
- 0.85 the same after mapping synonyms (``client_id`` ↔ ``customer_id``, ``created``)
- 0.55-0.8  one name ends (or, 0.05 less, starts) with the other (``name`` ↔ ``CustomerName``)
- 0-0.75  fuzzy: 0.75 x the larger of word overlap (Jaccard) and string similarity (difflib ratio,
  rescaled so that 0.5 and below counts as nothing)

>>> words("CustomerName"), words("tbl_cust_ID"), words("e-mail"), words("address2")
(('customer', 'name'), ('cust', 'id'), ('email',), ('address', '2'))
>>> name_match("customer_id", "cust_id")
NameMatch(score=0.9, reason='abbreviation: cust → customer')
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass

_PREFIXES = frozenset({"tbl", "col", "fld", "attr", "src", "raw", "is", "has"})
_SUFFIXES = frozenset({"col", "fld", "field", "attr", "flag", "ind", "yn"})
_MERGE = {("e", "mail"): "email", ("zip", "code"): "zipcode", ("post", "code"): "postcode"}

# A word (or a whole name) → the words it abbreviates.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("cust", "cus", "cstmr"), ("customer",)),
    **dict.fromkeys(("addr", "adr"), ("address",)),
    "amt": ("amount",),
    "qty": ("quantity",),
    **dict.fromkeys(("num", "no", "nbr", "nr"), ("number",)),
    "nm": ("name",),
    "dt": ("date",),
    **dict.fromkeys(("ts", "tstamp"), ("timestamp",)),
    **dict.fromkeys(("desc", "descr"), ("description",)),
    **dict.fromkeys(("org", "organisation"), ("organization",)),
    **dict.fromkeys(("dob", "birthdate"), ("birth", "date")),
    **dict.fromkeys(("tel", "telephone"), ("phone",)),
    "mail": ("email",),
    **dict.fromkeys(("fname", "firstname"), ("first", "name")),
    **dict.fromkeys(("lname", "lastname", "surname"), ("last", "name")),
    **dict.fromkeys(("zip", "zipcode", "postcode"), ("postal", "code")),
    "cat": ("category",),
    "dept": ("department",),
    **dict.fromkeys(("acct", "acc"), ("account",)),
    **dict.fromkeys(("txn", "trx"), ("transaction",)),
    "prod": ("product",),
    "pct": ("percent",),
    "avg": ("average",),
    **dict.fromkeys(("ccy", "curr"), ("currency",)),
    "cnt": ("count",),
    "msg": ("message",),
    "ref": ("reference",),
    "usr": ("user",),
    "img": ("image",),
    "lat": ("latitude",),
    **dict.fromkeys(("lng", "lon"), ("longitude",)),
    "sts": ("status",),
    "val": ("value",),
    "yr": ("year",),
    **dict.fromkeys(("mfr", "mfg", "manuf"), ("manufacturer",)),
    **dict.fromkeys(("bld", "built"), ("build",)),  # yearBuilt ~ build_yr
}
# Only when the word is the whole name: ``first`` is ``first_name`` but ``first_order`` is not.
_WHOLE_NAME = {"first": ("first", "name"), "last": ("last", "name")}

# Phrases that mean the same; the first of each group is the one the others map to.
_PHRASES: tuple[str, ...] = (
    "created|created at|created on|created date|creation date|created time|create time"
    "|create date|date created|created timestamp|creation time",
    "updated|updated at|updated on|modified|modified at|modified on|last modified|last updated"
    "|update time|modified date|last modified date|updated timestamp|modified timestamp",
    "deleted|deleted at|deleted on",
    "birth date|date of birth|birthday",
    "country|country code|country name",
    "email|email address",
    "phone|phone number",
    "name|full name|display name",
)
_PHRASE_OF = {
    tuple(p.split()): tuple(group.split("|")[0].split())
    for group in _PHRASES
    for p in group.split("|")
}
_SYNONYMS = {"client": "customer", "identifier": "id", "key": "id", "code": "id"}
_REAL_CODES = frozenset({"postal", "country", "currency", "language", "area", "zip", "post"})
_KNOWN = frozenset(ABBREVIATIONS) | {w for ws in ABBREVIATIONS.values() for w in ws}


@dataclass(frozen=True)
class NameMatch:
    """How well two names match (0..1) and why, in words."""

    score: float
    reason: str


@functools.lru_cache(maxsize=4096)
def words(name: str) -> tuple[str, ...]:
    """Lower-case words of a name (snake, camel, Pascal, kebab, spaces, digits), without the
    usual prefixes and suffixes (``tbl_``, ``is_``, ``_flag``, Salesforce ``__c``)."""
    chunks = re.split(r"[\W_]+", re.sub(r"__c$", "", name))
    raw = [w.lower() for chunk in chunks for w in _split_case(chunk)]
    merged: list[str] = []
    for word in raw:
        pair = (merged[-1], word) if merged else None
        if pair in _MERGE:
            merged[-1] = _MERGE[pair]
        elif word.endswith("id") and len(word) > 4 and word[:-2] in _KNOWN:
            merged += [word[:-2], "id"]  # ``custid`` → cust id, but ``paid`` stays
        else:
            merged.append(word)
    while len(merged) > 1 and merged[0] in _PREFIXES:
        merged.pop(0)
    while len(merged) > 1 and merged[-1] in _SUFFIXES:
        merged.pop()
    return tuple(merged)


def _split_case(chunk: str) -> list[str]:
    """``CustomerName`` → Customer, Name; ``HTTPServer`` → HTTP, Server; ``line2`` → line, 2."""
    out: list[str] = []
    start = 0
    for i in range(1, len(chunk)):
        prev, char, after = chunk[i - 1], chunk[i], chunk[i + 1 : i + 2]
        if (
            prev.isdigit() != char.isdigit()
            or (prev.islower() and char.isupper())
            or (prev.isupper() and char.isupper() and after.islower())
        ):
            out.append(chunk[start:i])
            start = i
    return [*out, chunk[start:]] if chunk else out


@functools.lru_cache(maxsize=4096)
def expand(ws: tuple[str, ...]) -> tuple[str, ...]:
    """Words with abbreviations written out: ``('cust', 'id')`` → ``('customer', 'id')``."""
    if len(ws) == 1 and ws[0] in _WHOLE_NAME:
        return _WHOLE_NAME[ws[0]]
    return tuple(w for word in ws for w in ABBREVIATIONS.get(word, (word,)))


@functools.lru_cache(maxsize=4096)
def canonical(ws: tuple[str, ...]) -> tuple[str, ...]:
    """Expanded words with synonyms mapped: ``('client', 'code')`` → ``('customer', 'id')``."""
    ws = _PHRASE_OF.get(ws, ws)
    out = tuple(
        w if w == "code" and i and ws[i - 1] in _REAL_CODES else _SYNONYMS.get(w, w)
        for i, w in enumerate(ws)
    )
    return _PHRASE_OF.get(out, out)


@functools.lru_cache(maxsize=4096)
def name_match(target: str, source: str) -> NameMatch:
    """Compare a property name with a column (or field) name; see the module docstring."""
    tw, sw = words(target), words(source)
    if not tw or not sw:
        return NameMatch(0.0, "no comparable name")
    if tw == sw:
        return NameMatch(1.0, "same name" if target == source else "same name after normalisation")
    te, se = expand(tw), expand(sw)
    if te == se:
        changed = dict.fromkeys(_expansions(tw) + _expansions(sw))
        return NameMatch(0.9, "abbreviation: " + ", ".join(changed))
    tc, sc = canonical(te), canonical(se)
    if tc == sc:
        return NameMatch(0.85, f"synonym of {target}")
    return max(_fuzzy(tc, sc), _contained(tc, sc), key=lambda m: m.score)


def _expansions(ws: tuple[str, ...]) -> list[str]:
    if len(ws) == 1 and ws[0] in _WHOLE_NAME:
        return [f"{ws[0]} → {'_'.join(_WHOLE_NAME[ws[0]])}"]
    return [f"{w} → {'_'.join(ABBREVIATIONS[w])}" for w in ws if w in ABBREVIATIONS]


def _contained(a: tuple[str, ...], b: tuple[str, ...]) -> NameMatch:
    short, long = (a, b) if len(a) < len(b) else (b, a)
    if len(short) == len(long):
        return NameMatch(0.0, "")
    part = "_".join(short)
    score = 0.55 + 0.3 * len(short) / len(long)
    if long[-len(short) :] == short:
        return NameMatch(round(score, 2), f"name ends with '{part}'")
    if long[: len(short)] == short:
        return NameMatch(round(score - 0.05, 2), f"name starts with '{part}'")
    return NameMatch(0.0, "")


def _fuzzy(a: tuple[str, ...], b: tuple[str, ...]) -> NameMatch:
    shared = set(a) & set(b)
    jaccard = len(shared) / len(set(a) | set(b))
    matcher = difflib.SequenceMatcher(None, "".join(a), "".join(b))
    ratio = matcher.ratio() if matcher.real_quick_ratio() > 0.5 < matcher.quick_ratio() else 0.0
    similar = max(0.0, (ratio - 0.5) / 0.5)
    if jaccard >= similar and shared:
        return NameMatch(round(0.75 * jaccard, 2), "shares words: " + ", ".join(sorted(shared)))
    if not similar:
        return NameMatch(0.0, "names differ")
    return NameMatch(round(0.75 * similar, 2), f"similar name ({ratio:.0%})")
