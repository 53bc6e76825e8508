"""Organisations, their people, sign-in, invitations and API tokens."""
