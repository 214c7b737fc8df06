"""verifythm.report."""
