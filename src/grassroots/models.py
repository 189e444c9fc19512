"""Imports every domain's tables so that Base.metadata is complete (Alembic, tests)."""

from grassroots import refdata
from grassroots.accounts import models as accounts_models
from grassroots.audit import models as audit_models
from grassroots.cases import deadline_models
from grassroots.cases import models as cases_models
from grassroots.db import Base
from grassroots.geo import models as geo_models
from grassroots.reports import models as reports_models
from grassroots.stats import models as stats_models

__all__ = [
    "Base",
    "accounts_models",
    "audit_models",
    "cases_models",
    "deadline_models",
    "geo_models",
    "refdata",
    "reports_models",
    "stats_models",
]
