"""The worker that dies: run by tests/ops/test_faults.py in a forked subprocess.

:func:`run` is called in a child process forked from the test (so it does not pay the imports
again), or from the command line:
``python -m tests.ops.crash_child SCENARIO DATABASE_URL INSTANCE_PATH JSON_ARGS``.
The child creates its own app (own engine and connections) on the real database.

Each scenario makes a real API request through the app; the request's transaction has flushed
its rows when the process dies, before the commit:

- ``submit``: ``create_bid(submit=True)`` has flushed the submitted bid → ``os._exit(9)``;
- ``award``: ``award_bid`` has flushed the award (bid awarded, problem awarded, others rejected)
  and sends ``bid-awarded``, whose extra receiver exits → ``os._exit(9)``;
- ``pdf``: a ``bid-awarded`` receiver renders the agreement with ``contracts.render_pdf`` and would store it
  in the instance folder (temporary file + rename); the parent kills the process with SIGKILL
  while ``render_pdf`` runs.

The child prints ``FLUSHED ...`` / ``RENDERING`` lines so the parent knows the rows existed; it
never prints ``SURVIVED`` unless something went wrong.
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import timedelta
from pathlib import Path


def main() -> None:
    scenario, url, instance, raw = sys.argv[1:5]
    run(scenario, url, instance, json.loads(raw), lambda line: print(line, flush=True))


def run(scenario: str, url: str, instance: str, args: dict, emit) -> None:
    """Make the request of ``scenario``; the process dies in it (``emit`` reports progress lines)."""
    from sqlalchemy import func
    from sqlmodel import select

    from marketplace import create_app, signals
    from marketplace.bids.models import Bid, BidState
    from marketplace.bids.services import bidding  # create_bid(submit=True) calls bidding.submit_bid
    from marketplace.core.types import travel
    from tests.conftest import app_settings

    app = create_app(app_settings(url, instance))
    client = app.test_client()
    headers = {"Authorization": f"Bearer {args['token']}"}

    if scenario == "submit":
        real_submit = bidding.submit_bid

        def submit_then_die(session, **kwargs):
            bid = real_submit(session, **kwargs)
            rows = session.exec(select(func.count()).select_from(Bid).where(
                Bid.id == bid.id, Bid.state == BidState.SUBMITTED)).one()
            emit(f"FLUSHED bid={bid.id} rows={rows}")
            os._exit(9)

        bidding.submit_bid = submit_then_die
        response = client.post(f"/api/v1/problems/{args['problem_id']}/bids", json=args["body"], headers=headers)
    elif scenario == "award":
        def die_after_award(bid, *, session, problem):
            awarded = session.exec(select(func.count()).select_from(Bid).where(
                Bid.problem_id == problem.id, Bid.state == BidState.AWARDED)).one()
            emit(f"FLUSHED award bid={bid.id} awarded={awarded} problem_state={problem.state}")
            os._exit(9)

        signals.bid_awarded.connect(die_after_award, weak=False)
        with travel(timedelta(days=8)):
            response = client.post(f"/api/v1/bids/{args['bid_id']}/award", headers=headers)
    elif scenario == "pdf":
        import contracts
        from contracts.examples import bakery_terms

        real_render = contracts.render_pdf

        def slow_render(*a, **kw):
            emit("RENDERING")
            pdf = real_render(*a, **kw)
            time.sleep(30)  # still inside render_pdf when the kill lands, however fast WeasyPrint is
            return pdf

        def store_agreement_pdf(bid, *, session, problem):
            pdf = slow_render(bakery_terms())
            folder = Path(instance) / "agreements"
            folder.mkdir(parents=True, exist_ok=True)
            temp = folder / f".bid-{bid.id}.pdf.tmp"
            temp.write_bytes(pdf)
            os.replace(temp, folder / f"bid-{bid.id}.pdf")

        signals.bid_awarded.connect(store_agreement_pdf, weak=False)
        with travel(timedelta(days=8)):
            response = client.post(f"/api/v1/bids/{args['bid_id']}/award", headers=headers)
    else:
        raise SystemExit(f"unknown scenario {scenario}")
    emit(f"SURVIVED status={response.status_code} {response.get_data(as_text=True)[:300]}")
    os._exit(3)


if __name__ == "__main__":
    main()
