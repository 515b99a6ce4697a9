"""Numeric claims out of a paper abstract, by rules (see ../shared/spec/claims.md).

One module per step of the path of an abstract, each feeding the next:

1. ``number``: every number with the unit and scale written right after it
   (``95.42%``, ``4times``, ``600M parameters``, ``3-10x``, ``twice``);
2. ``sentence``: sentences, and lists ("79.1%, 81.2% and 83.0%", "0.25/0.28 FID"), where a
   bare member borrows the unit of the member that has one; clauses and distances;
3. ``rules``: which numbers are claims, an ordered list of named rules: numbers with a
   unit, or standing next to a metric name, are kept; numbers inside names, years and
   settings stay out (``decide()`` says which rule decided);
4. ``metric``: the metric a number measures; 5. ``dataset``: what it is measured on;
6. ``method``: the system, and the baseline it is compared with; ``compare``: the
   systems a sentence compares away from the number ("from X to Y", "Compared to X, ...",
   "outperforms A and B by 8% and 37%, respectively"); 7. ``kind``: the type (the change
   stated) and the qualifier;
8. ``claim``: the ``Abstract`` being read and its ``Claim``s; ``extract()`` runs the steps.

``explain`` says, for every number, whether it was kept and why (``claimboard extract
--explain``). Vocabularies (metrics, datasets, units, qualifier words) are data in
``vocab/``; these modules hold only the rules. The speed shortcuts all live in ``fast``,
with a ``plain`` switch (CLAIMBOARD_PLAIN=1) that turns each into its plain definition.
"""
from .claim import FIELDS, Abstract, Claim, extract, extract_or_skip
from .dataset import split_datasets
from .explain import explain, human_text
from .number import TIMEOUT

__all__ = ["FIELDS", "TIMEOUT", "Abstract", "Claim", "explain", "extract", "extract_or_skip", "human_text",
           "split_datasets"]
