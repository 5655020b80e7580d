"""The Streamlit app: ``kolmap ui`` (or ``streamlit run ui/app.py``).

Only this package imports streamlit. Pages lay out widgets and call the library through
``kolmap.ui.state``, which holds the cached calls and the session's shortlist.
"""
