"""What a person is shown: privacy protection (on by default) and the area map.

``views`` sits between the algorithms (``scoring``, ``ingest``) and what presents their results
(``export`` writes files, ``ui`` draws pages, ``cli`` prints tables); it never imports Streamlit.
Everything shown to a person about an account goes through :class:`Privacy`, which
pseudonymises private individuals unless the caller explicitly reveals them.
"""

from kolmap.views.maps import MapResult, build_map
from kolmap.views.privacy import Privacy

__all__ = ["MapResult", "Privacy", "build_map"]
