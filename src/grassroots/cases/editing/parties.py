"""Adding and correcting a case's parties: encrypted as at registration (intake's
party_fields), recorded masked (张*, 138****8000, ****001X), never in clear."""

from __future__ import annotations

from collections.abc import Callable

from grassroots.cases.editing.fields import Changes, field_problem
from grassroots.cases.editing.schemas import CaseEdit, PartyChange
from grassroots.cases.intake.actions import party_fields
from grassroots.cases.models import Case, Party
from grassroots.crypto import keyring, mask_id_number, mask_phone

Note = Callable[[str, str | None, str | None], None]
MASKS = {"phone": mask_phone, "id_number": mask_id_number}


def _masked(field: str, value: str | None) -> str | None:
    return MASKS[field](value) if value else None


def mask_name(name: str) -> str:
    """张三 → 张* (as the agreements and the case page show names)."""
    return name[:1] + "*" * (len(name) - 1)


def apply_parties(case: Case, data: CaseEdit, changes: Changes) -> None:
    by_id = {p.id: p for p in case.parties}
    for i, fix in enumerate(data.party_changes):
        party = by_id.get(fix.id)
        if party is None:
            message = f"本案没有编号为 {fix.id} 的当事人 / no such party on this case"
            raise field_problem(f"party_changes.{i}.id", "unknown_party", message)
        _correct(party, fix, changes)
    for p in data.add_parties:
        case.parties.append(Party(**party_fields(p)))
        new = f"{p.role.value} {mask_name(p.name)}"
        changes.append({"field": "party", "party": None, "old": None, "new": new})


def _correct(party: Party, fix: PartyChange, changes: Changes) -> None:
    def note(field: str, old: str | None, new: str | None) -> None:
        changes.append({"field": f"party.{field}", "party": party.id, "old": old, "new": new})

    if fix.role is not None and fix.role.value != party.role:
        note("role", party.role, fix.role.value)
        party.role = fix.role.value
    if fix.name is not None and fix.name != party.name:
        note("name", mask_name(party.name), mask_name(fix.name))
        party.name = fix.name
    if fix.address is not None and fix.address != party.address:
        note("address", "***" if party.address else None, "***" if fix.address else None)
        party.address = fix.address
    for field in ("phone", "id_number"):
        new = getattr(fix, field)
        if new is not None:
            _contact(party, field, new or None, note)


def _contact(party: Party, field: str, new: str | None, note: Note) -> None:
    """Re-encrypt one contact field with its blind index (None clears it)."""
    ring = keyring()
    blob = getattr(party, f"{field}_enc")
    old = ring.decrypt(field, blob) if blob is not None else None
    if old == new:
        return
    setattr(party, f"{field}_enc", ring.encrypt(field, new) if new else None)
    setattr(party, f"{field}_bidx", ring.blind_index(field, new) if new else None)
    note(field, _masked(field, old), _masked(field, new))
