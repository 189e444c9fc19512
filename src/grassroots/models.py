"""Imports every domain's tables so that Base.metadata is complete (Alembic, tests)."""

from grassroots import refdata
from grassroots.accounts import models as accounts_models
from grassroots.audit import models as audit_models
from grassroots.border.hazards import models as hazard_models
from grassroots.border.meetings import models as meeting_models
from grassroots.calendar import models as calendar_models
from grassroots.cases import models as cases_models
from grassroots.cases.attachments import models as attachment_models
from grassroots.cases.deadlines import models as deadline_models
from grassroots.cases.intake import models as intake_models
from grassroots.cases.tallies import models as tallies_models
from grassroots.db import Base
from grassroots.dictionary import models as dictionary_models
from grassroots.federation import models as federation_models
from grassroots.geo import models as geo_models
from grassroots.geo.posts import models as grid_post_models
from grassroots.hotline import models as hotline_models
from grassroots.joint import models as joint_models
from grassroots.leads import models as leads_models
from grassroots.leads.reporting import tallies as leads_tallies
from grassroots.ledgers import models as ledgers_models
from grassroots.notifications import models as notification_models
from grassroots.open311 import models as open311_models
from grassroots.ratelimit import models as ratelimit_models
from grassroots.reports import models as reports_models
from grassroots.residents import models as residents_models
from grassroots.roster import models as roster_models
from grassroots.rounds import models as rounds_models
from grassroots.screens import models as screens_models

__all__ = [
    "Base",
    "accounts_models",
    "attachment_models",
    "audit_models",
    "calendar_models",
    "cases_models",
    "deadline_models",
    "dictionary_models",
    "federation_models",
    "geo_models",
    "grid_post_models",
    "hazard_models",
    "hotline_models",
    "intake_models",
    "joint_models",
    "leads_models",
    "leads_tallies",
    "ledgers_models",
    "meeting_models",
    "notification_models",
    "open311_models",
    "ratelimit_models",
    "refdata",
    "reports_models",
    "residents_models",
    "roster_models",
    "rounds_models",
    "screens_models",
    "tallies_models",
]
