"""Work reports (DESIGN §5): Word from editable templates, Excel tables, PDF and HTML."""
