"""analysis stage of nqp_text."""
