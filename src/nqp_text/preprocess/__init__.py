"""preprocess stage of nqp_text."""
