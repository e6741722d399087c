"""Auto-suggest dataset → object-type mappings: for each property, the best source column (or a
field inside a struct column or a column of JSON text), the transform its values need, and a
confidence with the reasons in words. Pure logic, no I/O.

Scoring, for every property and candidate source::

    confidence = 0.6 x name + 0.25 x type + 0.15 x values

- name (0..1), from ``names.name_match``: 1 same words after normalisation, 0.9 same after
  expanding abbreviations, 0.85 synonyms, 0.55-0.8 one name ends (starts) with the other, up to
  0.75 fuzzy (word overlap or string similarity). A field is also compared as ``parent_field``.
- type (0..1): how the Arrow type fits the kind. 1 native (``int64`` → integer), 0.9 widening or
  a case/code mapping (``int64`` → float, ``A`` → ``active``), 0.85 text that parses (with its
  transform), 0.6-0.8 loose or lossy (timestamp → date, number → string, leading zeros), 0.4
  text that may parse but has no samples, 0 incompatible.
- values (0..1), evidence from the samples: the share that converts, the share that lands in the
  enum, patterns the property name asks for (emails for ``email``, UUIDs for ``id``, URLs,
  phone numbers); native types: 1 with samples, 0.7 without; text without samples: 0.5.

Caps: an incompatible type caps the confidence at 0.2; unrelated names (name < 0.3) cap it at
0.3 unless the values alone point at the property (enum membership, emails, UUIDs, URLs,
phone numbers). A field inside a column counts 0.95 per level of nesting. The assignment is
global and greedy (highest confidence first, required properties first among equals, then the
order of properties and columns); each source (a column, or one path inside it)
is used at most once; nothing is assigned below 0.35.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from dataops.ontology.names import canonical, expand, name_match, words
from dataops.ontology.samples import (
    ENOUGH,
    TextProfile,
    enum_match,
    family_of,
    item_type,
    map_values,
    profile_text,
    py_type,
    struct_fields,
)

PropertyKind = Literal[
    "string",
    "integer",
    "float",
    "decimal",
    "boolean",
    "date",
    "timestamp",
    "enum",
    "array",
    "object",
]

WEIGHTS = {"name": 0.6, "type": 0.25, "values": 0.15}
THRESHOLD = 0.35
NESTED = 0.95
_MAX_DEPTH = 3
_MAX_FIELDS = 100
_NATIVE = {
    "string": "string",
    "integer": "int",
    "float": "float",
    "decimal": "decimal",
    "boolean": "bool",
    "date": "date",
    "timestamp": "timestamp",
    "array": "list",
    "object": "struct",
}
# (kind, family) → (type score, note) for conversions between non-text types.
_CONVERT: dict[tuple[str, str], tuple[float, str]] = {
    **{("string", f): (0.7, "") for f in ("int", "float", "decimal", "date", "timestamp")},
    ("string", "bool"): (0.6, ""),
    ("string", "other"): (0.5, ""),
    ("integer", "decimal"): (0.6, "may lose fractions"),
    ("integer", "float"): (0.5, "may lose fractions"),
    ("integer", "bool"): (0.3, ""),
    ("float", "int"): (0.9, ""),
    ("float", "decimal"): (0.9, ""),
    ("decimal", "int"): (0.9, ""),
    ("decimal", "float"): (0.7, "may lose precision"),
    ("date", "timestamp"): (0.8, "drops the time of day"),
    ("timestamp", "date"): (0.8, "midnight of each day"),
    ("enum", "int"): (0.3, ""),
    ("enum", "bool"): (0.3, ""),
    ("object", "map"): (0.9, ""),
}
_SEMANTIC = (
    (frozenset({"email"}), "email", "emails"),
    (frozenset({"url", "website", "homepage", "link"}), "url", "URLs"),
    (frozenset({"phone", "fax", "mobile"}), "phone", "phone numbers"),
    (frozenset({"id", "uuid", "guid"}), "uuid", "UUIDs"),
)


@dataclass(frozen=True)
class SourceColumn:
    """A dataset column: name, ``str(pyarrow type)`` and sampled non-null Python values."""

    name: str
    arrow_type: str
    samples: tuple[Any, ...]


@dataclass(frozen=True)
class TargetProperty:
    """A property of an object type."""

    name: str
    kind: PropertyKind
    required: bool = False
    enum_values: tuple[str, ...] = ()
    item_kind: PropertyKind | None = None
    description: str = ""


@dataclass(frozen=True)
class Suggestion:
    """The proposed source of one property (``column`` None: nothing fits, confidence 0)."""

    property: str
    column: str | None
    path: str | None
    transform: str
    confidence: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class _Source:
    index: int  # of the column
    column: str
    path: str | None
    name: str  # of the column or the field
    parent: str  # of the enclosing column or field, "" at the top
    label: str  # the type, as shown in reasons
    family: str
    samples: tuple[Any, ...]
    depth: int
    in_json: bool
    text: TextProfile | None = field(default=None, compare=False)


@dataclass(frozen=True)
class _Fit:
    type: float
    values: float
    transform: str  # "value" when none is needed
    reasons: tuple[str, ...]
    specific: bool = False  # the values alone point at the property


def suggest_mappings(
    columns: Sequence[SourceColumn], properties: Sequence[TargetProperty]
) -> list[Suggestion]:
    """One suggestion per property, in the order of `properties`. Each column is used at most
    once (a global assignment: highest-confidence pairs first; a path inside a column counts as
    its own source), except that nothing is assigned below a threshold of 0.35 (column None,
    confidence 0, reason "no column fits").

    >>> cols = [SourceColumn("cust_id", "int64", (1, 2)),
    ...         SourceColumn("DOB", "string", ("31/01/1990",))]
    >>> props = [TargetProperty("customer_id", "integer"), TargetProperty("birth_date", "date")]
    >>> for s in suggest_mappings(cols, props):
    ...     print(s.property, s.column, s.transform, s.confidence)
    customer_id cust_id  0.94
    birth_date DOB parseDate(value, '%d/%m/%Y') 0.9
    """
    sources = [s for i, c in enumerate(columns) for s in _sources(i, c)]
    pairs: list[tuple[float, bool, int, int, Suggestion]] = []
    for i, prop in enumerate(properties):
        for j, src in enumerate(sources):
            suggestion = _suggest(prop, src)
            if suggestion.confidence >= THRESHOLD:
                pairs.append((-suggestion.confidence, not prop.required, i, j, suggestion))
    chosen: dict[int, Suggestion] = {}
    used: set[tuple[int, str | None]] = set()
    for *_, i, j, suggestion in sorted(pairs, key=lambda p: p[:4]):
        key = (sources[j].index, sources[j].path)
        if i not in chosen and key not in used:
            chosen[i] = suggestion
            used.add(key)
    nothing = ("no column fits",)
    return [
        chosen.get(i, Suggestion(p.name, None, None, "", 0.0, nothing))
        for i, p in enumerate(properties)
    ]


def _suggest(prop: TargetProperty, src: _Source) -> Suggestion:
    """Score one property against one source."""
    match = name_match(prop.name, src.name)
    if src.parent:
        match = max(match, name_match(prop.name, f"{src.parent}_{src.name}"), key=lambda m: m.score)
    fit = _fit(prop, src)
    confidence = (
        WEIGHTS["name"] * match.score + WEIGHTS["type"] * fit.type + WEIGHTS["values"] * fit.values
    )
    reasons = [match.reason, *fit.reasons]
    if fit.type == 0:
        confidence = min(confidence, 0.2)
    elif match.score < 0.3 and not fit.specific:
        confidence = min(confidence, 0.3)
        reasons.append("names unrelated")
    if src.path is not None:
        confidence *= NESTED**src.depth
        where = f"JSON in {src.column}" if src.in_json else src.column
        reasons.append(f"field {src.path} inside {where}")
    transform = "" if fit.transform == "value" else fit.transform
    confidence = round(min(1.0, max(0.0, confidence)), 2)
    return Suggestion(prop.name, src.column, src.path, transform, confidence, tuple(reasons))


# -- candidate sources ---------------------------------------------------------------------


def _sources(index: int, column: SourceColumn) -> list[_Source]:
    """The column itself, then the fields inside it (struct fields, keys of JSON objects)."""
    out: list[_Source] = []
    _walk(out, index, column.name, None, column.name, "", column.arrow_type, column.samples, 0)
    return out


def _walk(
    out: list[_Source],
    index: int,
    column: str,
    path: str | None,
    name: str,
    parent: str,
    arrow_type: str,
    samples: tuple[Any, ...],
    depth: int,
    in_json: bool = False,
) -> None:
    family = family_of(arrow_type)
    text = profile_text(samples) if family == "string" else None
    label = arrow_type if not in_json else f"JSON {arrow_type}"
    src = _Source(index, column, path, name, parent, label, family, samples, depth, in_json, text)
    out.append(src)
    if depth >= _MAX_DEPTH:
        return
    objects: Sequence[dict[str, Any]] = [s for s in samples if isinstance(s, dict)]
    fields = struct_fields(arrow_type) if family == "struct" else []
    if text is not None and text.count and len(text.objects) >= ENOUGH * text.count:
        objects, in_json = text.objects, True
    if not fields and (family == "struct" or in_json):
        keys = dict.fromkeys(k for o in objects for k in o if isinstance(k, str))
        fields = [(k, py_type([o[k] for o in objects if o.get(k) is not None])) for k in keys]
    for key, key_type in fields[:_MAX_FIELDS]:
        values = tuple(o[key] for o in objects if o.get(key) is not None)
        sub = key if path is None else f"{path}.{key}"
        _walk(out, index, column, sub, key, name, key_type, values, depth + 1, in_json)


# -- type and value fit ----------------------------------------------------------------------


def _fit(prop: TargetProperty, src: _Source) -> _Fit:
    kind, fam, label = prop.kind, src.family, src.label
    seen = 1.0 if src.samples else 0.7
    if src.text is not None and kind != "string":
        return _from_text(prop, src.text, src.samples, label)
    if kind == "string" and src.text is not None:
        return _string_text(prop, src.text, label)
    if kind == "array" and fam == "list":
        item = family_of(item_type(src.label))
        if prop.item_kind is None or item == _NATIVE.get(prop.item_kind, "string"):
            return _Fit(1.0, seen, "value", (f"type {label} fits array",))
        return _Fit(0.6, seen, "value", (f"items of {label} are not {prop.item_kind}",))
    if _NATIVE.get(kind) == fam:
        return _Fit(1.0, seen, "value", (f"type {label} fits {kind}",))
    if kind == "integer" and fam == "decimal" and re.search(r",\s*0\)", label):
        return _Fit(0.9, seen, "value", (f"type {label} has no fractions",))
    if kind == "integer" and fam == "float" and src.samples and _whole(src.samples):
        return _Fit(0.8, seen, "value", (f"type {label} holds whole numbers",))
    if kind == "boolean" and fam == "int":
        if src.samples and all(v in (0, 1) for v in src.samples):
            flags = "mapValues(value, {1: true, 0: false})"
            return _Fit(0.8, 1.0, flags, (f"type {label} holds 0/1",))
        if src.samples:
            return _Fit(0.0, 0.0, "value", (f"values of {label} are not 0/1",))
        return _Fit(0.3, seen, "value", (f"type {label} may hold 0/1",))
    if kind == "enum" and prop.enum_values and src.samples:
        members = {v.lower() for v in prop.enum_values}
        if not any(str(v).lower() in members for v in src.samples):
            shown = ", ".join(prop.enum_values)
            return _Fit(0.0, 0.0, "value", (f"values of {label} are not among {shown}",))
    score, note = _CONVERT.get((kind, fam), (0.0, ""))
    if not score:
        return _Fit(0.0, 0.0, "value", (f"type {label} does not fit {kind}",))
    return _Fit(score, seen, "value", (f"type {label} converts to {kind}", *filter(None, [note])))


def _whole(samples: tuple[Any, ...]) -> bool:
    return all(isinstance(v, float) and v.is_integer() for v in samples)


def _string_text(prop: TargetProperty, p: TextProfile, label: str) -> _Fit:
    """Text into a string property: trim padding; check the patterns the name asks for."""
    v = "value.trim()" if p.padded else "value"
    reasons = [f"type {label} fits string"] + (
        ["values have surrounding spaces"] if p.padded else []
    )
    prop_words = set(canonical(expand(words(prop.name))))
    for triggers, attr, what in _SEMANTIC:
        if p.count and triggers & prop_words:
            share: float = getattr(p, attr)
            if share >= 0.8:
                return _Fit(1.0, 1.0, v, (*reasons, f"values look like {what}"), specific=True)
            if attr != "uuid":
                return _Fit(1.0, 0.3, v, (*reasons, f"values do not look like {what}"))
    return _Fit(1.0, 1.0 if p.count else 0.5, v, tuple(reasons))


_UNSAMPLED = {
    "integer": "parseInt(value)",
    "float": "parseFloat(value)",
    "decimal": "parseDecimal(value, 18, 2)",
    "boolean": "value",
    "date": "parseDate(value, '%Y-%m-%d')",
    "timestamp": "parseTimestamp(value)",
    "array": "parseJson(value)",
    "object": "parseJson(value)",
}


def _from_text(prop: TargetProperty, p: TextProfile, samples: tuple[Any, ...], label: str) -> _Fit:
    """Text into a non-string property: what the samples parse as, and the transform."""
    kind, v = prop.kind, ("value.trim()" if p.padded else "value")
    if not p.count:
        may = f"type {label} may convert to {kind}"
        if kind == "enum":
            return _Fit(0.7, 0.5, "value", (may, "no samples to check values"))
        return _Fit(0.4, 0.5, _UNSAMPLED[kind], (may, "no samples to check values"))
    holds = f"type {label} parses as {kind}"
    if kind == "integer" and p.integer >= ENOUGH:
        if p.leading_zeros:
            return _Fit(0.6, p.integer, f"parseInt({v})", (holds, "values have leading zeros"))
        return _Fit(0.85, p.integer, f"parseInt({v})", (holds, "values look like integers"))
    if kind == "float" and p.number >= ENOUGH:
        return _Fit(0.85, p.number, f"parseFloat({v})", (holds, "values look like numbers"))
    if kind == "decimal" and p.decimal >= ENOUGH:
        scale = max(2, p.scale)
        precision = 18 if p.digits - p.scale + scale <= 18 else 38
        expr = f"parseDecimal({v}, {precision}, {scale})"
        return _Fit(0.85, p.decimal, expr, (holds, "values look like decimals"))
    if kind == "boolean" and p.boolean:
        words_ = "/".join(p.boolean)
        expr = map_values(v, p.boolean)
        return _Fit(0.85, 1.0, expr, (holds, f"values look like booleans ({words_})"))
    if kind in ("date", "timestamp") and p.date:
        d = p.date
        looks = f"values look like dates ({d.label})"
        if d.ambiguous:
            looks = f"values look like dates ({d.label}; no day above 12, day first assumed)"
        score = (0.75 if d.ambiguous else 0.85) if kind == "date" else 0.7
        return _Fit(score, d.share, f"parseDate({v}, '{d.fmt}')", (holds, looks))
    if kind in ("date", "timestamp") and p.timestamp:
        ts = p.timestamp
        zone = "with zone" if ts.zoned else "without zone"
        expr = f"parseTimestamp({v})" if ts.fmt is None else f"parseTimestamp({v}, '{ts.fmt}')"
        reasons = (holds, f"values look like timestamps ({zone})")
        if kind == "date":
            return _Fit(0.7, ts.share, expr, (*reasons, "the time of day is dropped"))
        return _Fit(0.85, ts.share, expr, reasons)
    if kind == "enum":
        return _enum_text(prop, samples, v)
    if kind == "object" and len(p.objects) >= ENOUGH * p.count:
        return _Fit(0.85, 1.0, f"parseJson({v})", (holds, "values are JSON objects"))
    if kind == "array" and p.arrays >= ENOUGH:
        return _Fit(0.8, p.arrays, f"parseJson({v})", (holds, "values are JSON arrays"))
    return _Fit(0.0, 0.0, "value", (f"values do not convert to {kind}",))


def _enum_text(prop: TargetProperty, samples: tuple[Any, ...], v: str) -> _Fit:
    """Text into an enum: membership (as is, ignoring case, as codes), else cardinality."""
    texts = [s for s in samples if isinstance(s, str)]
    if not prop.enum_values:
        n = len({t.strip() for t in texts})
        if n <= 20:
            return _Fit(1.0, 0.8, v, ("type string fits enum", f"few distinct values ({n})"))
        return _Fit(0.7, 0.4, v, ("type string fits enum", f"many distinct values ({n})"))
    m = enum_match(texts, prop.enum_values, v)
    if m.share >= 0.8:
        score = 1.0 if m.transform == v else 0.9
        return _Fit(score, m.share, m.transform, (m.reason,), specific=True)
    return _Fit(0.6 if m.share >= 0.5 else 0.3, m.share, m.transform, (m.reason,))
