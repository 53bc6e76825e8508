"""SME problem statements: the wizard, KPIs, decision criteria, states, visibility, Q&A."""
