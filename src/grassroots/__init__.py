"""grassroots: case management for comprehensive-governance centres and grid service management."""

__version__ = "0.1.0"
