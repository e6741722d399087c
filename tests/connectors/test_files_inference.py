"""Type names and glob patterns: the small parsers file sources rely on."""

from __future__ import annotations

import re

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dataops.connectors.errors import EndpointRefusedError
from dataops.connectors.files.inference import parse_arrow_type
from dataops.connectors.files.patterns import compile_glob, normalize_key

TYPES = [
    pa.bool_(), pa.int8(), pa.int16(), pa.int32(), pa.int64(), pa.uint8(), pa.uint64(),
    pa.float32(), pa.float64(), pa.string(), pa.large_string(), pa.binary(), pa.date32(),
    pa.date64(), pa.decimal128(12, 2), pa.decimal128(38, 0), pa.decimal256(50, 10),
    pa.timestamp("s"), pa.timestamp("ms"), pa.timestamp("us", tz="UTC"),
    pa.timestamp("ns", tz="Europe/Paris"), pa.time32("s"), pa.time64("us"), pa.duration("ms"),
]  # fmt: skip


@pytest.mark.parametrize("arrow_type", TYPES, ids=str)
def test_every_type_name_arrow_prints_parses_back(arrow_type: pa.DataType) -> None:
    assert parse_arrow_type(str(arrow_type)) == arrow_type


@pytest.mark.parametrize("alias", ["decimal(10,2)", "DECIMAL128( 10 , 2 )", "decimal128(10, 2)"])
def test_decimal_spellings(alias: str) -> None:
    assert parse_arrow_type(alias) == pa.decimal128(10, 2)


@pytest.mark.parametrize("bad", ["money", "decimal128(x,2)", "timestamp[hours]", ""])
def test_unknown_type_names_raise(bad: str) -> None:
    with pytest.raises(ValueError, match="unknown Arrow type"):
        parse_arrow_type(bad)


segment = st.text(alphabet="abcXYZ019_-. ", min_size=1, max_size=8).filter(
    lambda s: s not in (".", "..") and not s.startswith(".")
)
keys = st.lists(segment, min_size=1, max_size=4).map("/".join)


@given(keys, keys)
def test_a_pattern_without_wildcards_matches_only_itself(pattern: str, key: str) -> None:
    assert bool(compile_glob(pattern).fullmatch(key)) == (pattern == key)


@given(st.lists(segment, min_size=1, max_size=4))
def test_star_stays_in_its_folder_and_double_star_spans_folders(parts: list[str]) -> None:
    key = "/".join(parts)
    depth_star = "/".join(["*"] * len(parts))
    assert compile_glob(depth_star).fullmatch(key)
    assert bool(compile_glob("*").fullmatch(key)) == (len(parts) == 1)
    assert compile_glob("**").fullmatch(key)


@given(st.lists(st.sampled_from(["a", "..", ".", "b", ""]), min_size=1, max_size=6))
def test_normalized_keys_never_climb_out(parts: list[str]) -> None:
    path = "/".join(parts)
    try:
        key = normalize_key(path)
    except EndpointRefusedError:
        return
    assert not re.search(r"(^|/)\.\.(/|$)", key)
    assert not key.startswith("/")
