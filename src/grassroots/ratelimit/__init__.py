"""Request-rate limits kept in the database, so that every server process counts the same
hits: login, the public report and lead paths, Open311 (docs/deployment.md)."""
