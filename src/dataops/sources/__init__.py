"""Data sources: settings (secrets encrypted), ownership and grants, test/discover/preview."""
