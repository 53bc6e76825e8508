"""Platform administration: organisation verification."""
