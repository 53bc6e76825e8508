"""Ranked discovery both ways, through the ranking engine (matching/)."""
