"""Documents: files attached to a problem, a bid or an organisation, checked by content and stored
with their SHA-256 behind one storage interface."""
