"""队伍建设: the township's roster of grid workers (their grids, contact phone for staff,
training entries) and their workload, for managing the work (never a public ranking)."""
