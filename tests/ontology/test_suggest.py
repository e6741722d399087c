"""Auto-suggest of dataset → object-type mappings: names, types, sampled values, nesting and the
global assignment."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dataops.ontology.names import name_match, words
from dataops.ontology.suggest import (
    THRESHOLD,
    SourceColumn,
    Suggestion,
    TargetProperty,
    suggest_mappings,
)

CRM = (
    SourceColumn("cust_id", "int64", (101, 102, 103)),
    SourceColumn("CustomerName", "string", (" Ada Lovelace ", "Alan Turing", "Grace Hopper ")),
    SourceColumn("e_mail", "string", ("ada@example.com", "alan@example.org", "grace@navy.mil")),
    SourceColumn("DOB", "string", ("10/12/1815", "23/06/1912", "09/12/1906")),
    SourceColumn("status", "string", ("A", "I", "A", "A")),
    SourceColumn(
        "created",
        "timestamp[us, tz=UTC]",
        (datetime(2024, 1, 2, 9, 30, tzinfo=UTC), datetime(2024, 3, 4, 17, 0, tzinfo=UTC)),
    ),
    SourceColumn(
        "address",
        "struct<street: string, city: string, zip: string>",
        (
            {"street": "12 St James's Sq", "city": "London", "zip": "SW1Y 4JH"},
            {"street": "1 Bletchley Park", "city": "Milton Keynes", "zip": "MK3 6EB"},
        ),
    ),
    SourceColumn("amt", "string", ("12.50", "3.00", "1999.99")),
    SourceColumn("notes", "string", ("call back on Monday", "prefers email")),
)

CUSTOMER = (
    TargetProperty("customer_id", "integer", required=True),
    TargetProperty("name", "string", required=True),
    TargetProperty("email", "string"),
    TargetProperty("birth_date", "date"),
    TargetProperty("status", "enum", enum_values=("active", "inactive")),
    TargetProperty("created_at", "timestamp"),
    TargetProperty("city", "string"),
    TargetProperty("postal_code", "string"),
    TargetProperty("amount", "decimal"),
    TargetProperty("loyalty_tier", "enum", enum_values=("gold", "silver", "bronze")),
)


def by_property(suggestions: list[Suggestion]) -> dict[str, Suggestion]:
    return {s.property: s for s in suggestions}


def one(column: SourceColumn, prop: TargetProperty) -> Suggestion:
    (suggestion,) = suggest_mappings([column], [prop])
    return suggestion


@pytest.fixture(scope="module")
def crm() -> dict[str, Suggestion]:
    return by_property(suggest_mappings(CRM, CUSTOMER))


def test_one_suggestion_per_property_in_order(crm: dict[str, Suggestion]) -> None:
    result = suggest_mappings(CRM, CUSTOMER)
    assert [s.property for s in result] == [p.name for p in CUSTOMER]


@pytest.mark.parametrize(
    ("prop", "column", "path", "transform"),
    [
        ("customer_id", "cust_id", None, ""),
        ("name", "CustomerName", None, "value.trim()"),
        ("email", "e_mail", None, ""),
        ("birth_date", "DOB", None, "parseDate(value, '%d/%m/%Y')"),
        ("status", "status", None, 'mapValues(value, {"A": "active", "I": "inactive"})'),
        ("created_at", "created", None, ""),
        ("city", "address", "city", ""),
        ("postal_code", "address", "zip", ""),
        ("amount", "amt", None, "parseDecimal(value, 18, 2)"),
    ],
)
def test_crm_columns_map_onto_customer(
    crm: dict[str, Suggestion], prop: str, column: str, path: str | None, transform: str
) -> None:
    suggestion = crm[prop]
    assert (suggestion.column, suggestion.path, suggestion.transform) == (column, path, transform)
    assert suggestion.confidence >= 0.8
    assert suggestion.reasons


def test_crm_reasons_explain_the_choice(crm: dict[str, Suggestion]) -> None:
    assert "abbreviation: cust → customer" in crm["customer_id"].reasons
    assert "type int64 fits integer" in crm["customer_id"].reasons
    assert "same name after normalisation" in crm["email"].reasons
    assert "values look like emails" in crm["email"].reasons
    assert "values look like dates (dd/mm/yyyy)" in crm["birth_date"].reasons
    assert "synonym of created_at" in crm["created_at"].reasons
    assert "values have surrounding spaces" in crm["name"].reasons
    assert "field city inside address" in crm["city"].reasons
    assert any(r.startswith("codes map to enum values") for r in crm["status"].reasons)


def test_crm_nothing_fits_loyalty_tier_and_notes_stays_unused(crm: dict[str, Suggestion]) -> None:
    assert crm["loyalty_tier"] == Suggestion(
        "loyalty_tier", None, None, "", 0.0, ("no column fits",)
    )
    assert "notes" not in {s.column for s in crm.values()}


def test_crm_confidences_order_sensibly(crm: dict[str, Suggestion]) -> None:
    exact, abbreviation = crm["email"].confidence, crm["customer_id"].confidence
    synonym, contained = crm["created_at"].confidence, crm["name"].confidence
    assert exact == 1.0
    assert exact > abbreviation > synonym > contained > THRESHOLD
    # A field inside a struct scores a little below an equally good top-level column.
    assert crm["city"].confidence < exact


def test_exact_beats_abbreviation_beats_fuzzy() -> None:
    prop = TargetProperty("customer_name", "string")
    scores = [
        one(SourceColumn(name, "string", ("Ada",)), prop).confidence
        for name in ("customer_name", "customerName", "cust_name", "custmer_name", "order_total")
    ]
    exact, camel, abbreviation, fuzzy, unrelated = scores
    assert exact == camel == 1.0
    assert exact > abbreviation > fuzzy > THRESHOLD
    assert unrelated == 0.0


@pytest.mark.parametrize(
    ("target", "source", "score"),
    [
        ("customer_id", "customerId", 1.0),
        ("customer_id", "CustomerID", 1.0),
        ("customer_id", "tbl_customer_id", 1.0),
        ("email", "e-mail", 1.0),
        ("is_active", "active_flag", 1.0),
        ("customer_id", "cust_id", 0.9),
        ("customer_id", "custid", 0.9),
        ("birth_date", "DOB", 0.9),
        ("first_name", "fname", 0.9),
        ("postal_code", "zip", 0.9),
        ("order_number", "order_no", 0.9),
        ("customer_id", "client_id", 0.85),
        ("updated_at", "modifiedOn", 0.85),
        ("country", "country_code", 0.85),
        ("date_of_birth", "DOB", 0.85),
    ],
)
def test_name_levels(target: str, source: str, score: float) -> None:
    assert name_match(target, source).score == score


def test_names_handled_carefully() -> None:
    # ``customer`` and ``customer_id`` are different things; ``postal_code`` is no id.
    assert name_match("customer", "customer_id").score < 0.85
    assert name_match("postal_code", "postal_id").score < 0.5
    assert name_match("price", "amount").score == 0.0
    assert name_match("id", "customer_id").score < name_match("id", "ID").score


def test_global_assignment_gives_the_column_to_the_better_pair() -> None:
    columns = [SourceColumn("customer_id", "int64", (1, 2))]
    props = [TargetProperty("client_id", "integer"), TargetProperty("customer_id", "integer")]
    client, customer = suggest_mappings(columns, props)
    assert customer.column == "customer_id"
    assert customer.confidence == 1.0
    assert client.column is None
    assert client.reasons == ("no column fits",)


def test_the_loser_falls_back_to_its_next_best_column() -> None:
    columns = [
        SourceColumn("email", "string", ("a@x.io",)),
        SourceColumn("contact_mail", "string", ("b@y.io",)),
    ]
    props = [TargetProperty("contact_email", "string"), TargetProperty("email", "string")]
    contact, email = suggest_mappings(columns, props)
    assert email.column == "email"
    assert contact.column == "contact_mail"


def test_threshold_nothing_fits() -> None:
    columns = [
        SourceColumn("zzz", "string", ("lorem", "ipsum")),
        SourceColumn("payload_bytes", "binary", ()),
    ]
    (result,) = suggest_mappings(columns, [TargetProperty("revenue", "float")])
    assert result == Suggestion("revenue", None, None, "", 0.0, ("no column fits",))


def test_same_name_but_incompatible_type_is_not_suggested() -> None:
    column = SourceColumn("birth_date", "string", ("soon", "never"))
    assert one(column, TargetProperty("birth_date", "date")).column is None
    column = SourceColumn("quantity", "string", ("a few", "many"))
    assert one(column, TargetProperty("quantity", "integer")).column is None


def test_unrelated_names_with_fitting_types_are_not_suggested() -> None:
    column = SourceColumn("page_views", "int64", (3, 4))
    assert one(column, TargetProperty("age", "integer")).column is None


def test_nested_struct_paths() -> None:
    column = SourceColumn(
        "customer",
        "struct<name: string, billing: struct<city: string, country_code: string>>",
        ({"name": "Ada", "billing": {"city": "London", "country_code": "GB"}},),
    )
    props = [
        TargetProperty("city", "string"),
        TargetProperty("country", "string"),
        TargetProperty("customer_name", "string"),
    ]
    city, country, name = suggest_mappings([column], props)
    assert (city.column, city.path) == ("customer", "billing.city")
    assert (country.column, country.path) == ("customer", "billing.country_code")
    assert (name.column, name.path) == ("customer", "name")  # compared as ``customer_name``
    assert city.confidence < one(SourceColumn("city", "string", ("Paris",)), props[0]).confidence


def test_struct_column_maps_whole_onto_an_object_property() -> None:
    column = SourceColumn("address", "struct<city: string, zip: string>", ())
    result = one(column, TargetProperty("address", "object"))
    assert (result.column, result.path, result.transform) == ("address", None, "")
    assert result.confidence >= 0.9


def test_json_text_column_offers_its_fields() -> None:
    column = SourceColumn(
        "payload",
        "large_string",
        (
            '{"city": "Paris", "zip": "75001", "geo": {"lat": 48.85}}',
            '{"city": "Lyon", "zip": "69001", "geo": {"lat": 45.76}}',
        ),
    )
    props = [
        TargetProperty("city", "string"),
        TargetProperty("latitude", "float"),
        TargetProperty("payload", "object"),
    ]
    city, lat, payload = suggest_mappings([column], props)
    assert (city.column, city.path) == ("payload", "city")
    assert "field city inside JSON in payload" in city.reasons
    assert (lat.column, lat.path) == ("payload", "geo.lat")
    assert (payload.column, payload.path, payload.transform) == (
        "payload",
        None,
        "parseJson(value)",
    )


@pytest.mark.parametrize(
    ("samples", "transform"),
    [
        (("active", "inactive"), ""),
        (("ACTIVE", "Inactive", "active"), "value.toLowerCase()"),
        (("A", "I", "P"), 'mapValues(value, {"A": "active", "I": "inactive", "P": "pending"})'),
        ((" active", "inactive "), "value.trim()"),
    ],
)
def test_enum_mapping(samples: tuple[str, ...], transform: str) -> None:
    prop = TargetProperty("status", "enum", enum_values=("active", "inactive", "pending"))
    result = one(SourceColumn("status", "string", samples), prop)
    assert (result.column, result.transform) == ("status", transform)


def test_enum_codes_by_initials_and_membership_alone() -> None:
    prop = TargetProperty("stage", "enum", enum_values=("in_progress", "done"))
    result = one(SourceColumn("col_17", "string", ("IP", "D", "IP")), prop)
    # The names say nothing, the values say it all: still suggested, with little confidence.
    assert result.column == "col_17"
    assert result.transform == 'mapValues(value, {"IP": "in_progress", "D": "done"})'
    assert THRESHOLD <= result.confidence < 0.5


def test_enum_values_that_do_not_match_lower_the_confidence() -> None:
    prop = TargetProperty("status", "enum", enum_values=("active", "inactive"))
    good = one(SourceColumn("status", "string", ("active", "inactive")), prop)
    bad = one(SourceColumn("status", "string", ("red", "green", "blue")), prop)
    assert good.confidence > bad.confidence


@pytest.mark.parametrize(
    ("samples", "transform"),
    [
        (("Y", "N", "Y"), 'mapValues(value, {"Y": true, "N": false})'),
        (("yes", "no"), 'mapValues(value, {"yes": true, "no": false})'),
        (("True",), 'mapValues(value, {"True": true, "False": false})'),
        (("0", "1"), 'mapValues(value, {"1": true, "0": false})'),
    ],
)
def test_boolean_mapping(samples: tuple[str, ...], transform: str) -> None:
    result = one(
        SourceColumn("active_flag", "string", samples), TargetProperty("is_active", "boolean")
    )
    assert (result.column, result.transform) == ("active_flag", transform)


def test_boolean_from_int_and_native() -> None:
    prop = TargetProperty("is_vip", "boolean")
    assert one(SourceColumn("vip", "int64", (0, 1)), prop).transform == (
        "mapValues(value, {1: true, 0: false})"
    )
    native = one(SourceColumn("vip", "bool", (True, False)), prop)
    assert (native.transform, native.confidence) == ("", 1.0)


@pytest.mark.parametrize(
    ("samples", "fmt", "ambiguous"),
    [
        (("25/12/2023", "03/04/2024"), "%d/%m/%Y", False),
        (("12/25/2023", "03/04/2024"), "%m/%d/%Y", False),
        (("03/04/2024", "01/02/2024"), "%d/%m/%Y", True),
        (("2024-01-31", "2023-12-01"), "%Y-%m-%d", False),
        (("31.01.2024",), "%d.%m.%Y", False),
    ],
)
def test_day_first_or_month_first(samples: tuple[str, ...], fmt: str, ambiguous: bool) -> None:
    result = one(
        SourceColumn("signup_dt", "string", samples), TargetProperty("signup_date", "date")
    )
    assert result.transform == f"parseDate(value, '{fmt}')"
    assert any("day first assumed" in r for r in result.reasons) is ambiguous


def test_timestamps_in_text() -> None:
    prop = TargetProperty("created_at", "timestamp")
    zoned = one(SourceColumn("created", "string", ("2024-01-02T10:00:00Z",)), prop)
    assert zoned.transform == "parseTimestamp(value)"
    assert "values look like timestamps (with zone)" in zoned.reasons
    local = one(SourceColumn("created", "string", ("02/01/2024 10:00",)), prop)
    assert local.transform == "parseTimestamp(value, '%d/%m/%Y %H:%M')"


def test_numbers_in_text() -> None:
    assert one(
        SourceColumn("qty", "string", (" 3", "14 ")), TargetProperty("quantity", "integer")
    ).transform == ("parseInt(value.trim())")
    assert one(
        SourceColumn("weight", "string", ("1.5", "2e3")), TargetProperty("weight", "float")
    ).transform == ("parseFloat(value)")
    assert one(
        SourceColumn("price", "string", ("1.125", "3")), TargetProperty("price", "decimal")
    ).transform == ("parseDecimal(value, 18, 3)")


def test_native_types_need_no_transform() -> None:
    cases = [
        (SourceColumn("amount", "decimal128(12, 2)", ()), TargetProperty("amount", "decimal")),
        (SourceColumn("score", "int32", (1,)), TargetProperty("score", "float")),
        (SourceColumn("day", "date32[day]", ()), TargetProperty("day", "date")),
        (SourceColumn("tags", "list<item: string>", (["a"],)), TargetProperty("tags", "array")),
    ]
    for column, prop in cases:
        result = one(column, prop)
        assert (result.column, result.transform) == (column.name, "")
        assert result.confidence >= 0.9


def test_empty_samples() -> None:
    date = one(SourceColumn("signup_date", "string", ()), TargetProperty("signup_date", "date"))
    assert date.column == "signup_date"
    assert date.transform == "parseDate(value, '%Y-%m-%d')"
    assert "no samples to check values" in date.reasons
    native = one(SourceColumn("qty", "int64", ()), TargetProperty("quantity", "integer"))
    with_samples = one(SourceColumn("qty", "int64", (1,)), TargetProperty("quantity", "integer"))
    assert date.confidence < native.confidence < with_samples.confidence


def test_email_values_are_checked() -> None:
    prop = TargetProperty("email", "string")
    good = one(SourceColumn("email", "string", ("a@b.io",)), prop)
    bad = one(SourceColumn("email", "string", ("n/a", "unknown")), prop)
    assert "values do not look like emails" in bad.reasons
    assert good.confidence > bad.confidence


def test_no_columns_or_no_properties() -> None:
    assert suggest_mappings([], [TargetProperty("x", "string")])[0].column is None
    assert suggest_mappings(CRM, []) == []


NAMES = st.text(alphabet="abcdefXYZ_ -019", min_size=0, max_size=12)
ARROW_TYPES = st.sampled_from(
    [
        "int64",
        "string",
        "large_string",
        "double",
        "bool",
        "decimal128(12, 2)",
        "date32[day]",
        "timestamp[us, tz=UTC]",
        "struct<a: string, b_id: int64>",
        "list<item: string>",
        "binary",
    ]
)
SAMPLES = st.lists(
    st.one_of(
        st.integers(-5, 20),
        st.text(max_size=8),
        st.booleans(),
        st.sampled_from(['{"a": 1}', "2024-01-02", "Y", "N", "03/04/2024", " x "]),
        st.fixed_dictionaries({"a": st.text(max_size=3), "b_id": st.integers()}),
    ),
    max_size=5,
).map(tuple)
KINDS = st.sampled_from(
    [
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
)


@settings(max_examples=150, deadline=None)
@given(
    columns=st.lists(st.tuples(NAMES, ARROW_TYPES, SAMPLES), max_size=6, unique_by=lambda c: c[0]),
    properties=st.lists(
        st.tuples(NAMES, KINDS, st.lists(st.text(max_size=5), max_size=3).map(tuple)), max_size=6
    ),
)
def test_property_one_per_property_columns_once_confidence_in_range(
    columns: list[tuple[str, str, tuple[object, ...]]],
    properties: list[tuple[str, str, tuple[str, ...]]],
) -> None:
    cols = [SourceColumn(name, typ, samples) for name, typ, samples in columns]
    props = [TargetProperty(name, kind, enum_values=values) for name, kind, values in properties]  # type: ignore[arg-type]
    result = suggest_mappings(cols, props)
    assert [s.property for s in result] == [p.name for p in props]
    used = [(s.column, s.path) for s in result if s.column is not None]
    assert len(used) == len(set(used))
    assert len([c for c, path in used if path is None]) == len(
        {c for c, path in used if path is None}
    )
    for s in result:
        assert 0.0 <= s.confidence <= 1.0
        assert s.confidence == round(s.confidence, 2)
        if s.column is None:
            assert (s.confidence, s.path, s.reasons) == (0.0, None, ("no column fits",))
        else:
            assert s.confidence >= THRESHOLD
            assert s.column in {c.name for c in cols}


def test_required_property_wins_a_tie() -> None:
    columns = [SourceColumn("customer_id", "int64", (1,))]
    props = [TargetProperty("client_id", "integer"), TargetProperty("clientId", "integer", True)]
    optional, required = suggest_mappings(columns, props)
    assert optional.confidence == 0.0
    assert required.column == "customer_id"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("HTTPServerURL", ("http", "server", "url")),
        ("ÉtatCivil", ("état", "civil")),
        ("Status__c", ("status",)),
        ("line2", ("line", "2")),
    ],
)
def test_words_split_acronyms_accents_and_digits(name: str, expected: tuple[str, ...]) -> None:
    assert words(name) == expected


def test_numbers_outside_an_enum_are_not_suggested_for_it() -> None:
    columns = [
        SourceColumn("seats", "int64", (160, 150, 76)),
        SourceColumn("mfr", "string", ("Boeing", "Airbus")),
        SourceColumn("build_yr", "int64", (2015, 2018)),
    ]
    props = [
        TargetProperty("status", "enum", enum_values=("active", "inactive")),
        TargetProperty("manufacturer", "string"),
        TargetProperty("yearBuilt", "integer"),
    ]
    found = {s.property: s for s in suggest_mappings(columns, props)}
    assert found["status"].column is None
    assert found["manufacturer"].column == "mfr"
    assert found["yearBuilt"].column == "build_yr"
