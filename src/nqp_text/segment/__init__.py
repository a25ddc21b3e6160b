"""segment stage of nqp_text."""
