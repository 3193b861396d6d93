"""Stage 5: validation findings over the tidy table (one module of rules per family)."""
