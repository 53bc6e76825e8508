"""The demo world: realistic Korean SMEs, vendors, agencies and their problems (data in ``data/``)."""
