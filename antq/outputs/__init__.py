"""Stage 7: what people read: the summary paragraph, the Excel report, the form, annotated copies."""
