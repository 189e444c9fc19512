"""边界联席会议: joint meetings of the jurisdictions along a boundary (issue 19)."""
