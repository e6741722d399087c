"""The REST API source: JSON over HTTP(S) with auth, pagination, rate limits and retries.

One module per step: :mod:`.settings` (what the admin configures), :mod:`.auth`,
:mod:`.transport` (guards, throttle via :mod:`.ratelimit`, retries via :mod:`.retry`, redaction
via :mod:`.redaction`), :mod:`.pagination`, :mod:`.body`, :mod:`.incremental`, :mod:`.records`
and :mod:`.connector`, which ties them together. Registered as the ``rest`` entry point.
"""

from dataops.connectors.rest.connector import RestConnector
from dataops.connectors.rest.settings import RestSettings

__all__ = ["RestConnector", "RestSettings"]
