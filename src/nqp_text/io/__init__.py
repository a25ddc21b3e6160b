"""io stage of nqp_text."""
