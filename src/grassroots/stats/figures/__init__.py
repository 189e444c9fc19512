"""Figures built on the counters: every metric defined once, the figures set by deployment
settings, the figures per grid and the dashboard's."""
