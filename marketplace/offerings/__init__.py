"""Vendor offerings: the catalogue and public vendor profiles."""
