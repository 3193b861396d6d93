"""Stage 5: validation findings over the tidy table.

One module per family of rules (``counts``, ``rates``, ``sums``,
``denominators``, ``history``, ``coverage``, ``duplicates``, ``events``), each registering
its rules in :data:`RULES` with ``@rule("code")``; :func:`validate` runs them.
A new rule goes in the module of its family (or a new one imported here), its
messages in ``antq/data/findings.csv``, its tolerances as named constants.
"""

from antq.validation import (  # noqa: F401  (importing registers the rules)
    counts,
    coverage,
    denominators,
    duplicates,
    events,
    history,
    rates,
    sums,
)
from antq.validation.engine import RULES, run_rules, validate

__all__ = ["RULES", "run_rules", "validate"]
