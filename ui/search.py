"""The one rule every account search box of the app follows: a private individual is found
by pseudonym only. Matching their hidden handle or name would tell which pseudonym is whose
(the Ingest page's label search did: a patient's real handle returned "anon-… — now
patient"). Only ``ui/`` reads this module.

In a page::

    with state.store() as s:
        found = search.find_accounts(s, query)
"""

from __future__ import annotations

import pandas as pd

from kolmap.graph.store import GraphStore
from kolmap.ui.state import privacy

__all__ = ["find_accounts"]


def find_accounts(store: GraphStore, query: str, limit: int = 50) -> pd.DataFrame:
    """The accounts ``query`` finds: by handle or name among those shown under their own
    name, or the private individual whose pseudonym it is (``anon-…``); the store's
    ``accounts`` columns."""
    guard = privacy()
    text = query.strip()
    if text.startswith("anon-") and guard.protects:
        return guard.find(store.accounts(), text)
    return guard.visible(store.accounts(search=query, limit=limit))
