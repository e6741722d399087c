"""An endpoint can be previewed by the name `discover()` reports for it, not only by its path."""

from __future__ import annotations

from dataops.connectors.base import EndpointSpec
from dataops.connectors.registry import open_connector, parse_settings
from tests.contracts.case import ConnectorCase


def test_endpoint_is_readable_by_its_discovered_name(rest_case: ConnectorCase) -> None:
    settings = parse_settings("rest", rest_case.settings)
    connector = open_connector("rest", settings, rest_case.context)
    try:
        names = [o.name for o in connector.discover()]
        assert names == ["items"]
        table = connector.preview(EndpointSpec(path=names[0]), 5)
    finally:
        connector.close()
    assert table.num_rows == 5
    assert table.column_names == rest_case.expected_columns
