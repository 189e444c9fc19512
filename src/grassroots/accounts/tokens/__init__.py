"""API tokens for integrations and the deferred "last used" writes of authentication."""
