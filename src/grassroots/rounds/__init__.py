"""排查 rounds: a grid worker's record of a round in a grid and the matters found on it."""
