"""Shared web layer: base templates, static files (vendored, versions noted), i18n."""
