"""What a report shows: the figures gathered from the aggregates, the template context, charts."""
