"""Seeded personal data: the ID numbers and phones tests use when they create parties.

The log-capture plugin (tests/audit/logcapture.py) proves at the end of the session that
none of these (nor any other value that went through encryption) appears in any log line.
The ID numbers use the fictional region prefix 99 and carry valid GB 11643 check digits.
"""

from __future__ import annotations

SEEDED_ID_NUMBERS: tuple[str, ...] = (
    "990101198503121232",
    "990102199007154562",
    "990103197211037897",
    "990105200002292223",
    "11010519491231002X",  # the standard's own example
)

SEEDED_PHONES: tuple[str, ...] = (
    "13812348000",
    "13900001111",
    "15012345678",
    "18698765432",
    "17700002222",
)

SEEDED_VALUES: tuple[str, ...] = SEEDED_ID_NUMBERS + SEEDED_PHONES
