"""Signing in: password and TOTP login, the throttles, login CSRF, login pages, /api/v1/auth."""
