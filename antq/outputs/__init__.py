"""Stage 7: what people read: the summary, the Excel report, the form, annotated copies."""
