"""framework stage of nqp_text."""
