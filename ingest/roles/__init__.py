"""Who an account is: its role, specialty, industry ties and automation risk.

Three sources, combined (docs/roles.md): transparent FR/EN rules over bio, name and handle
(:mod:`.rules`), a scikit-learn model trained on a fictitious labelled set (:mod:`.model`),
both read together by :mod:`.text`; and behaviour, for accounts whose bio says too little
(:mod:`.behaviour`), with coordination signals as an automation risk (:mod:`.automation`).
:mod:`.derive` runs them at the end of every ingest run. User labels always win.

>>> classify("Breast cancer survivor & patient advocate", "Anna").role
'patient'
"""

from kolmap.ingest.roles.text import TEXT_VERSION, TextRole, classify, infer_text_roles

__all__ = ["TEXT_VERSION", "TextRole", "classify", "infer_text_roles"]
