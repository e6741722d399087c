"""What a column holds: the family of its Arrow type and the fields of a struct; what its text
samples look like (numbers, dates, timestamps, booleans, emails, UUIDs, JSON) and how they map
onto an enum. Shares are of the text samples (0..1).

>>> p = profile_text(["03/04/2024", "25/12/2023"])
>>> p.date
DateGuess(fmt='%d/%m/%Y', label='dd/mm/yyyy', share=1.0, ambiguous=False)
>>> p.integer, p.boolean
(0.0, None)
>>> profile_text(["Y", "N", "y"]).boolean
{'Y': True, 'y': True, 'N': False}
>>> enum_match(["A", "I"], ("active", "inactive"), "value").transform
'mapValues(value, {"A": "active", "I": "inactive"})'
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from dataops.ontology.names import words

_INT = re.compile(r"[+-]?\d+")
_DEC = re.compile(r"[+-]?(\d*)(?:\.(\d+))?")
_FLOAT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_DATEISH = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")
_ISO_TS = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
_UUID = re.compile(r"[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
_URL = re.compile(r"(https?://|www\.)\S+")
_PHONE = re.compile(r"\+?[\d\s().-]{7,20}")
# Day-first before month-first: when no value decides (no day above 12), day first is assumed.
DATE_FORMATS = (
    ("%Y-%m-%d", "yyyy-mm-dd"),
    ("%d/%m/%Y", "dd/mm/yyyy"),
    ("%m/%d/%Y", "mm/dd/yyyy"),
    ("%d.%m.%Y", "dd.mm.yyyy"),
    ("%d-%m-%Y", "dd-mm-yyyy"),
    ("%m-%d-%Y", "mm-dd-yyyy"),
    ("%Y/%m/%d", "yyyy/mm/dd"),
    ("%d/%m/%y", "dd/mm/yy"),
    ("%m/%d/%y", "mm/dd/yy"),
)
_BOOLEANS = (("true", "false"), ("t", "f"), ("yes", "no"), ("y", "n"), ("1", "0"), ("on", "off"))
ENOUGH = 0.9  # share of samples that must convert for a conversion to count as fitting


@dataclass(frozen=True)
class DateGuess:
    """A date format that the samples parse with (``strptime`` format and how users write it)."""

    fmt: str
    label: str
    share: float
    ambiguous: bool


@dataclass(frozen=True)
class TimestampGuess:
    """Timestamps: ISO 8601 (``fmt`` None) or a ``strptime`` format; with or without a zone."""

    fmt: str | None
    share: float
    zoned: bool


@dataclass(frozen=True)
class TextProfile:
    """What the text samples look like."""

    count: int
    padded: bool
    integer: float
    leading_zeros: bool
    decimal: float
    scale: int
    digits: int
    number: float
    date: DateGuess | None
    timestamp: TimestampGuess | None
    boolean: dict[str, bool] | None
    email: float
    uuid: float
    url: float
    phone: float
    objects: tuple[dict[str, Any], ...]
    arrays: float


@dataclass(frozen=True)
class EnumMatch:
    """Share of samples that land on an enum value, the expression that gets them there, why."""

    share: float
    transform: str
    reason: str


def profile_text(samples: Sequence[Any]) -> TextProfile:
    """Profile the text samples (others are ignored)."""
    raw = [s for s in samples if isinstance(s, str)]
    texts = [s.strip() for s in raw]

    def share(test: Callable[[str], object]) -> float:
        return sum(1 for t in texts if test(t)) / len(texts) if texts else 0.0

    decimals = [m for t in texts if (m := _DEC.fullmatch(t)) and t not in {"", "+", "-", "."}]
    objects = tuple(o for t in texts if t.startswith("{") and isinstance(o := _json(t), dict))
    return TextProfile(
        count=len(texts),
        padded=any(r != t for r, t in zip(raw, texts, strict=True)),
        integer=share(_INT.fullmatch),
        leading_zeros=any(_INT.fullmatch(t) and len(t) > 1 and t[0] == "0" for t in texts),
        decimal=len(decimals) / len(texts) if texts else 0.0,
        scale=max((len(m.group(2) or "") for m in decimals), default=0),
        digits=max((len(m.group(1)) + len(m.group(2) or "") for m in decimals), default=0),
        number=share(_FLOAT.fullmatch),
        date=_date_guess(texts),
        timestamp=_timestamp_guess(texts),
        boolean=_boolean_map(texts),
        email=share(_EMAIL.fullmatch),
        uuid=share(_UUID.fullmatch),
        url=share(_URL.fullmatch),
        phone=share(lambda t: _PHONE.fullmatch(t) and sum(c.isdigit() for c in t) >= 7),
        objects=objects,
        arrays=share(lambda t: t.startswith("[") and isinstance(_json(t), list)),
    )


def _json(text: str) -> object:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _parses(text: str, fmt: str) -> bool:
    try:
        datetime.strptime(text, fmt)
    except ValueError:
        return False
    return True


def _date_guess(texts: list[str]) -> DateGuess | None:
    if not texts or not all(_DATEISH.fullmatch(t) for t in texts[:5]):
        return None
    shares = {f: sum(_parses(t, f) for t in texts) / len(texts) for f, _ in DATE_FORMATS}
    fmt, label = max(DATE_FORMATS, key=lambda f: shares[f[0]])  # first of equals: day first
    if shares[fmt] < ENOUGH:
        return None
    other = fmt.replace("%d", "%D").replace("%m", "%d").replace("%D", "%m")
    ambiguous = other != fmt and shares.get(other) == shares[fmt]
    return DateGuess(fmt, label, shares[fmt], ambiguous)


def _timestamp_guess(texts: list[str]) -> TimestampGuess | None:
    if not texts:
        return None
    iso = [_iso(t) for t in texts if _ISO_TS.match(t)]
    parsed = [d for d in iso if d is not None]
    if len(parsed) / len(texts) >= ENOUGH:
        zoned = any(d.tzinfo is not None for d in parsed)
        return TimestampGuess(None, len(parsed) / len(texts), zoned)
    if not _DATEISH.match(texts[0]):
        return None
    formats = [d + t for d, _ in DATE_FORMATS for t in (" %H:%M:%S", " %H:%M")]
    shares = {f: sum(_parses(t, f) for t in texts) / len(texts) for f in formats}
    best = max(formats, key=shares.__getitem__)
    return TimestampGuess(best, shares[best], zoned=False) if shares[best] >= ENOUGH else None


def _iso(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _boolean_map(texts: list[str]) -> dict[str, bool] | None:
    seen = list(dict.fromkeys(texts))
    for yes, no in _BOOLEANS:
        if seen and all(t.lower() in (yes, no) for t in seen):
            mapping = {t: t.lower() == yes for t in seen}
            for word, flag in ((yes, True), (no, False)):
                if flag not in mapping.values():  # add the missing side, written alike
                    mapping[_like(seen[0], word)] = flag
            return dict(sorted(mapping.items(), key=lambda kv: not kv[1]))
    return None


def _like(example: str, word: str) -> str:
    if example.isupper():
        return word.upper()
    return word.capitalize() if example[:1].isupper() else word


def enum_match(texts: Sequence[str], enum_values: Sequence[str], v: str) -> EnumMatch:
    """How the samples land on ``enum_values``: as they are, ignoring case, or as codes
    (prefixes or initials: ``A`` → ``active``, ``IP`` → ``in_progress``); ``v`` is the input."""
    vals = [t.strip() for t in texts]
    if not vals or not enum_values:
        return EnumMatch(0.0, v, "no values to compare")
    exact = sum(x in enum_values for x in vals) / len(vals)
    by_lower = {e.lower(): e for e in enum_values}
    mapping: dict[str, str] = {}
    for d in dict.fromkeys(vals):
        if d.lower() in by_lower:
            mapping[d] = by_lower[d.lower()]
            continue
        hits = {e for e in enum_values if d and _is_code(d.lower(), e)}
        if len(hits) == 1:
            mapping[d] = hits.pop()
    mapped = sum(x in mapping for x in vals) / len(vals)
    if exact >= mapped:
        return EnumMatch(exact, v, f"values are enum values ({exact:.0%})")
    if all(k.lower() == e.lower() for k, e in mapping.items()):
        reason = f"values match enum values ignoring case ({mapped:.0%})"
        if all(e == k.lower() for k, e in mapping.items()):
            return EnumMatch(mapped, f"{v}.toLowerCase()", reason)
        if all(e == k.upper() for k, e in mapping.items()):
            return EnumMatch(mapped, f"{v}.toUpperCase()", reason)
        return EnumMatch(mapped, map_values(v, mapping), reason)
    codes = ", ".join(f"{k} → {e}" for k, e in list(mapping.items())[:4] if k != e)
    return EnumMatch(mapped, map_values(v, mapping), f"codes map to enum values ({codes})")


def map_values(v: str, mapping: dict[str, str] | dict[str, bool]) -> str:
    """The ``mapValues`` expression for a mapping of sampled values."""
    return f"mapValues({v}, {json.dumps(mapping, ensure_ascii=False)})"


def _is_code(code: str, value: str) -> bool:
    return value.lower().startswith(code) or "".join(w[0] for w in words(value)) == code


# -- Arrow type strings ----------------------------------------------------------------------


def family_of(arrow_type: str) -> str:
    """The family of an Arrow type string: int, float, decimal, bool, string, date, timestamp,
    struct, list, map or other.

    >>> family_of("timestamp[us, tz=UTC]"), family_of("dictionary<values=string, indices=int32>")
    ('timestamp', 'string')
    """
    t = arrow_type.strip().lower()
    if m := re.match(r"dictionary<values=(.*?), indices=", t):
        return family_of(m.group(1))
    if re.fullmatch(r"u?int(8|16|32|64)", t):
        return "int"
    if t in {"halffloat", "float", "double", "float16", "float32", "float64"}:
        return "float"
    if t in {"string", "large_string", "utf8", "large_utf8", "string_view"}:
        return "string"
    for prefix in ("decimal", "bool", "date", "timestamp", "struct", "map"):
        if t.startswith(prefix):
            return prefix
    return "list" if t.startswith(("list", "large_list", "fixed_size_list")) else "other"


def struct_fields(arrow_type: str) -> list[tuple[str, str]]:
    """``struct<city: string, geo: struct<lat: double>>`` → ``[("city", "string"), ...]``."""
    t = arrow_type.strip()
    if not (t.startswith("struct<") and t.endswith(">")):
        return []
    parts = (p.partition(": ") for p in _split_top(t[len("struct<") : -1]))
    return [(name.strip(), typ.strip()) for name, sep, typ in parts if sep]


def _split_top(text: str) -> list[str]:
    """Split at commas outside ``<>`` and ``()``."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        depth += (char in "<([") - (char in ">)]")
        if char == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    return [*parts, text[start:]] if text.strip() else parts


def item_type(arrow_type: str) -> str:
    """``list<item: string>`` → ``string``."""
    t = arrow_type.strip()
    inner = t[t.find("<") + 1 : t.rfind(">")]
    return inner.partition(": ")[2] or inner


def py_type(values: Sequence[Any]) -> str:
    """An Arrow-like type for Python values (from JSON text or struct samples)."""
    order = (
        (bool, "bool"),
        (int, "int64"),
        (float, "double"),
        (Decimal, "decimal"),
        (str, "string"),
        (dict, "struct"),
        (list, "list"),
        (datetime, "timestamp"),
        (date, "date32[day]"),
    )
    counts: dict[str, int] = {}
    for value in values:
        label = next((lbl for typ, lbl in order if isinstance(value, typ)), "other")
        counts[label] = counts.get(label, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else "null"
