"""verifythm.claims."""
