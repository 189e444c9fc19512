"""统计看板: the figures of one jurisdiction, period, category and kind, named by the URL."""
