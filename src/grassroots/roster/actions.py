"""Writes of the township roster: a worker's work phone (encrypted), a training entry, and
revealing the phone for a stated reason. Each in one transaction with its audit row (never
the phone itself, the reason masked)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.crypto import keyring
from grassroots.db import transaction, utcnow
from grassroots.errors import Problem
from grassroots.privacy.logging_filter import mask_text
from grassroots.roster.models import TrainingEntry, WorkerContact
from grassroots.roster.queries import access_worker, clear_phone
from grassroots.roster.schemas import PhoneIn, RevealIn, TrainingIn


def do_set_phone(session: Session, username: str, data: PhoneIn, *, actor: User) -> None:
    """Set (or replace) the worker's work phone."""
    with transaction(session):
        worker = access_worker(session, actor, username)
        row = session.get(WorkerContact, worker.id)
        blob = keyring().encrypt("phone", data.phone)
        if row is None:
            session.add(WorkerContact(user_id=worker.id, phone_enc=blob, updated_by_id=actor.id))
        else:
            row.phone_enc, row.updated_by_id, row.updated_at = blob, actor.id, utcnow()
        record_audit(session, actor=actor, action="roster.phone", object_type="user",
                     object_id=worker.username)  # fmt: skip


def do_add_training(
    session: Session, username: str, data: TrainingIn, *, actor: User
) -> TrainingEntry:
    """Record a training the worker attended (a day and free text)."""
    with transaction(session):
        worker = access_worker(session, actor, username)
        entry = TrainingEntry(user_id=worker.id, held_on=data.held_on, title=data.title,
                              recorded_by_id=actor.id)  # fmt: skip
        session.add(entry)
        session.flush()
        record_audit(session, actor=actor, action="roster.training", object_type="user",
                     object_id=worker.username, details={"held_on": data.held_on})  # fmt: skip
    return entry


def do_reveal_phone(session: Session, username: str, data: RevealIn, *, actor: User) -> str:
    """The worker's phone in clear, for a stated reason kept (masked) in the audit row."""
    with transaction(session):
        worker = access_worker(session, actor, username)
        phone = clear_phone(session, worker.id)
        if phone is None:
            raise Problem(404, "no_value", "未登记工作电话 / no phone recorded")
        reason = {"reason": mask_text(data.reason)}
        record_audit(session, actor=actor, action="roster.reveal", object_type="user",
                     object_id=worker.username, details=reason)  # fmt: skip
    return phone
