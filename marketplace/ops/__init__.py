"""Operations: backup and restore of the database (``axbridge backup`` / ``axbridge restore``).

``backup.py`` holds the entry points; each format has its module (``sqlite.py``, ``postgres.py``,
``portable.py``). docs/SECURITY.md says what each check does and how it is tested.
"""
