"""`python -m grassroots.cli ...`: the same program as the `grassroots` script."""

from grassroots.cli.main import main

main()
