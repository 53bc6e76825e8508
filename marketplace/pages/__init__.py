"""Public pages: home, language switch."""
