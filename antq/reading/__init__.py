"""Stages 1–4: open a workbook safely, take its cells, find the table, build tidy rows.

``cells`` (file → sheets of values) → ``layout`` (where the table is, what each
column holds) → ``rows`` (tidy values with their cells) → ``reader`` (files of a
folder, in parallel, into one table); ``cache`` keeps what was read for rebuilds.
"""
