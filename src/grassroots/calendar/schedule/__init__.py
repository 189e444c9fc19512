"""A year's official holiday schedule: typed as text, the statutory holidays known in advance,
and what other domains do when a schedule changes."""
