"""viz stage of nqp_text."""
