"""Leads (线索): reports, transfers and leads handed down, verified on a deadline, replied to
and cleared to zero (docs/leads.md)."""
