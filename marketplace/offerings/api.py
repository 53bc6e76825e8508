"""``/api/v1/offerings`` endpoints."""
