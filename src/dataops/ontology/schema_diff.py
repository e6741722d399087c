"""What changes between two versions of an object type's schema, and which changes break the
objects already stored (those need an explicit migration choice).

Additive: a new optional property, a property no longer required, new enum values, a new field
in a nested object, descriptions. Breaking: a removed property, another kind, a new required
property, enum values removed, another key property, another decimal precision or scale.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dataops.ontology.schemas import PropertySpec


@dataclass
class SchemaDiff:
    changes: list[str] = field(default_factory=list)
    breaking: list[str] = field(default_factory=list)

    def add(self, text: str, *, breaking: bool = False) -> None:
        self.changes.append(text)
        if breaking:
            self.breaking.append(text)


def diff_schemas(
    old: list[PropertySpec], new: list[PropertySpec], old_key: str, new_key: str
) -> SchemaDiff:
    """The changes from ``old`` to ``new``, in words.

    >>> a = [PropertySpec(name="id", kind="string")]
    >>> b = a + [PropertySpec(name="year", kind="integer")]
    >>> diff_schemas(a, b, "id", "id").changes
    ['added property year (integer)']
    >>> diff_schemas(b, a, "id", "id").breaking
    ['removed property year']
    """
    found = SchemaDiff()
    if old_key != new_key:
        found.add(f"key property changed from {old_key} to {new_key}", breaking=True)
    _diff(old, new, "", found)
    return found


def _diff(old: list[PropertySpec], new: list[PropertySpec], prefix: str, found: SchemaDiff) -> None:
    before = {p.name: p for p in old}
    after = {p.name: p for p in new}
    for name in before.keys() - after.keys():
        found.add(f"removed property {prefix}{name}", breaking=True)
    for spec in new:
        name = prefix + spec.name
        previous = before.get(spec.name)
        if previous is None:
            required = " required" if spec.required else ""
            found.add(f"added{required} property {name} ({_kind(spec)})", breaking=spec.required)
            continue
        _diff_one(previous, spec, name, found)


def _diff_one(old: PropertySpec, new: PropertySpec, name: str, found: SchemaDiff) -> None:
    if _kind(old) != _kind(new):
        found.add(f"{name}: kind {_kind(old)} became {_kind(new)}", breaking=True)
        return
    if old.required != new.required:
        if new.required:
            found.add(f"{name} became required", breaking=True)
        else:
            found.add(f"{name} is no longer required")
    if old.kind == "decimal" and (old.precision, old.scale) != (new.precision, new.scale):
        found.add(
            f"{name}: decimal({old.precision},{old.scale}) became "
            f"decimal({new.precision},{new.scale})",
            breaking=True,
        )
    removed = [v for v in old.enum_values if v not in new.enum_values]
    added = [v for v in new.enum_values if v not in old.enum_values]
    if removed:
        found.add(f"{name}: enum values removed: {', '.join(removed)}", breaking=True)
    if added:
        found.add(f"{name}: enum values added: {', '.join(added)}")
    if old.description != new.description:
        found.add(f"{name}: description changed")
    if new.kind == "object":
        _diff(old.fields, new.fields, name + ".", found)
    if new.kind == "array" and old.items is not None and new.items is not None:
        _diff_one(old.items, new.items, name + "[]", found)


def _kind(spec: PropertySpec) -> str:
    """``array<integer>``, ``object``, ``decimal`` …"""
    if spec.kind == "array" and spec.items is not None:
        return f"array<{_kind(spec.items)}>"
    return spec.kind.value
