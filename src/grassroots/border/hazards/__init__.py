"""边界隐患: boundary hazards — a disputed pasture, forest or water boundary area registered as
a place (point or polygon), with its risk, owners on both sides, measures and status."""
