"""Foundations every other layer uses: settings, errors, ids, crypto, logging."""
