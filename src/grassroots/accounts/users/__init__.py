"""Account administration: writes to users (三权分立) and /api/v1/users."""
