"""Subsidy programs: eligibility, applications, brokering, batch matching, the subsidy ledger, dashboards."""
