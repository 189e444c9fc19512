"""The demo county's case history: the plan drawn up front, who acts, the Chinese text, and
the run through the real case actions."""
