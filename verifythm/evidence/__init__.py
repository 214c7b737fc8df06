"""verifythm.evidence."""
