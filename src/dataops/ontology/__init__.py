"""Ontology: object types, link types, dataset → object mappings, and syncs into objects."""
