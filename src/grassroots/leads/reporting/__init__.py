"""What leads report: the figures (from lead_tally), keeping lead_tally exact, and the reply
to the issuing body (核查情况报告)."""
