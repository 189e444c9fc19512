"""The cases' fixtures the notification tests use (a case to be told about)."""

from tests.cases.conftest import new_case_body

__all__ = ["new_case_body"]
