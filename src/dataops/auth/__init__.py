"""Identity: users, roles, clearances, browser sessions, API tokens, login rate limits."""
