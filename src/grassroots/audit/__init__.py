"""The audit log: every write, reveal, login and refused access (DESIGN §7)."""
