"""topics stage of nqp_text."""
