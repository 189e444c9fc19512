"""Scheduled jobs: the registry every job is listed in, the `grassroots jobs` commands, and the
one-process-at-a-time lock the runner takes per job."""
