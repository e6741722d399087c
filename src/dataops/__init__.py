"""dataops: an open-source, Python-first DataOps platform."""

__version__ = "0.1.0"
