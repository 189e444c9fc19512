"""Posts per grid: 网格长 and 网格员, who serves a grid on a date."""
