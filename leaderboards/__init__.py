"""The Datasette side of claimboard: plugin hooks, templates and static files."""
from .plugin import (  # noqa: F401 - hooks pluggy finds here
    actor_from_request, extra_css_urls, extra_template_vars, forbidden, handle_exception, permission_allowed,
    prepare_connection, render_cell)
