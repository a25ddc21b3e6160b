"""pipeline stage of nqp_text."""
