"""Pieces every domain area uses: column types, model base helpers, domain errors, pagination."""
