"""The audit log: every state change, appended to a hash chain that `axbridge audit verify` checks."""
