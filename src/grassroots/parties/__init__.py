"""Parties' personal data: masked reading, audited reveal, blind-index lookup, key rotation.
The Party table itself lives in cases/models.py."""
