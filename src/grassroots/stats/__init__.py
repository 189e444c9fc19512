"""Statistics (DESIGN §5): metric definitions, periods, reads of the case tallies
(grassroots.cases.tallies), the independent recount, API, dashboard and reports' figures."""
