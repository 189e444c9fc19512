"""What a ledger row becomes once checked, and what a refused file answers with."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from grassroots.cases import schemas as s
from grassroots.ledgers.places import Located


@dataclass(frozen=True)
class RowError:
    row: int  # the row number as Excel shows it
    column: str  # the header text of the column ("" for the row as a whole)
    value: str  # as it may be shown: ID numbers and phones masked
    reason: str  # in Chinese

    def line(self) -> str:
        where = f"第{self.row}行" + (f"「{self.column}」" if self.column else "")
        shown = f"（{self.value}）" if self.value else ""
        return f"{where}{shown}：{self.reason}"


@dataclass
class Entry:
    """One valid ledger row."""

    row: int
    accepted_on: date
    closed_on: date | None
    outcome: str  # resolved / terminated / open
    outcome_text: str
    category_code: str
    summary: str
    parties: list[s.PartyIn]
    located: Located
    mediator: str = ""
    performance: str | None = None  # performed / partly_performed / not_performed
    performance_text: str = ""
    follow_up: str = ""
    satisfaction: str | None = None
    file_no: str = ""
    fingerprint: str = ""


@dataclass
class Checked:
    """A sheet read and checked: its entries, every error, the rows repeated in the file."""

    sheet: str
    entries: list[Entry] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    notices: list[RowError] = field(default_factory=list)  # imported, but worth a look
    repeated: list[tuple[int, int]] = field(default_factory=list)  # (row, same as row)
    blank_rows: int = 0
    columns: dict[str, int] = field(default_factory=dict)  # header text → column index


class LedgerRefused(ValueError):
    """Nothing imported: the file's errors, every one of them."""

    def __init__(self, errors: list[RowError], annotated: bytes | None = None) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors, self.annotated = errors, annotated
