"""classify stage of nqp_text."""
