"""Project agreements: drafting from the awarded bid, versions, signing, delivery and reviews."""
