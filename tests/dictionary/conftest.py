"""The dictionaries are tested through registration: the case fixtures serve here too."""

from tests.cases.conftest import new_case_body  # noqa: F401  (a fixture)
