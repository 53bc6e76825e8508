"""KPI acceptance the platform measures itself, and the outcomes after completion (follow-ups)."""
