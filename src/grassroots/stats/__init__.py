"""Statistics (DESIGN §5): metric definitions, maintained aggregates, recount, API."""

from grassroots.stats import maintain

maintain.install()
