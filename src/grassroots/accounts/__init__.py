"""Users, roles, sessions and tokens."""
