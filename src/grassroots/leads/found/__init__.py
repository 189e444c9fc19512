"""A matter found on a 排查 round made a lead in one step (issue 23 item 2)."""
