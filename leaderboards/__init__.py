"""The Datasette side of claimboard: plugin hooks, templates and static files."""
from .plugin import extra_css_urls, extra_template_vars, prepare_connection, render_cell  # noqa: F401 - hooks pluggy finds here
