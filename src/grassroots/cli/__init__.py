"""The command line: the `grassroots` program (main), its generated reference (docs/cli.md) and
backup/restore. `python -m grassroots.cli` runs the program."""
