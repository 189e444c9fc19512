"""Open311 GeoReport v2 server (/open311/v2/): residents' apps report into the platform.

Docs: docs/open311.md. Services are the case categories; a POSTed request becomes a case
with source open311 through intake; the GETs show only what a resident may see.
"""
