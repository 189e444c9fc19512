"""管理: the administrators' pages (configuration, users, boundary import)."""
