"""The public leads path: an anonymous report, its receipt code (查询码), progress and
additions, unauthenticated and rate-limited in the database."""
