"""Pages whose body is rendered once per data version and then served from the cache."""

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from targets import dashboard


class CachedBody:
    """A page whose body, ``body_template`` rendered with ``dashboard_context()``, is kept in the
    cache under the data versions of what it shows and the query string (``dashboard.page``).
    What depends on the reader (the menu, messages) stays in the page template around it."""

    body_template: str

    def cached_body_response(self, name: str, version: str):
        body = dashboard.page(name, version, self.request.GET, self.render_body)
        # Rendered by this project's templates, which escaped it.
        return self.render_to_response(self.get_context_data(body=mark_safe(body)))

    def render_body(self) -> str:
        return render_to_string(self.body_template, self.dashboard_context(), self.request)

    def dashboard_context(self) -> dict:
        raise NotImplementedError
