"""Operations: backup and restore of the database (``axbridge backup`` / ``axbridge restore``).

See ``marketplace/ops/NOTES.md`` for what each check does and how it is tested.
"""
