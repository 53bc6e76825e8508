"""gunicorn settings for `axbridge serve` in production (`gunicorn -c python:marketplace.gunicorn_conf`)."""

from __future__ import annotations


def post_worker_init(worker) -> None:
    """Load the PDF fonts and stylesheet before the first request, in the thread that renders, and map the
    shared ranking index's published snapshot."""
    from contracts.rendering import warm_up  # WeasyPrint loads in each worker, not in gunicorn's master

    warm_up()
    app = getattr(worker, "wsgi", None)
    if app is not None and "axbridge_db" in getattr(app, "extensions", {}):
        from marketplace.discovery.services import index_manager

        index_manager(app).load()
