"""gunicorn settings for `axbridge serve` in production (`gunicorn -c python:marketplace.gunicorn_conf`)."""

from __future__ import annotations


def post_worker_init(worker) -> None:
    """Load the PDF fonts and stylesheet before the first request, in the thread that renders."""
    from contracts.rendering import warm_up  # WeasyPrint loads in each worker, not in gunicorn's master

    warm_up()
