"""Leads handed down in a batch: reading the spreadsheet and the `grassroots leads` command."""
