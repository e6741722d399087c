"""The secrets vault (write-only credentials) and master-key rotation."""
