"""Fixtures of the geo tests (none: the grid index follows the reference stamp, which a
rolled-back test's writes leave as it was — grassroots.refdata)."""
