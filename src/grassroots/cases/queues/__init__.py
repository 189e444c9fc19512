"""Worklists (工作队列): saved filters of the cases waiting for one person, with counts."""
