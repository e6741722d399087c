"""The versioned lake: Delta tables (delta-rs) in a local folder or on S3-compatible storage."""
