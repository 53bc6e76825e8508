"""The in-app notification centre and the e-mail outbox."""
