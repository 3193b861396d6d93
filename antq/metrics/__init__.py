"""Stage 6: metrics over the tidy table."""
