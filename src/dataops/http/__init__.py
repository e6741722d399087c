"""Request-scoped plumbing shared by every domain's routes (context, DB session)."""
