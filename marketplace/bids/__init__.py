"""Sealed bids, evaluation by the SME's own criteria, and the award."""
