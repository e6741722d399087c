"""Ontology sync benchmark: an upsert of changed rows into an object type holding many objects,
dataops' ``run_sync`` next to a raw delta-rs MERGE of the same rows. See ``run.py``."""
