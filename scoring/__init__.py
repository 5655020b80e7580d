"""Rankings as plain functions: projection -> components -> composite scores with reasons.

>>> from kolmap.scoring import RankKind
>>> [k.value for k in RankKind]
['kol', 'dol', 'influencer', 'organisation', 'any']
"""

from kolmap.scoring.components import compute_components
from kolmap.scoring.rank import OUTPUT_COLUMNS, RankKind, rank

__all__ = ["OUTPUT_COLUMNS", "RankKind", "compute_components", "rank"]
