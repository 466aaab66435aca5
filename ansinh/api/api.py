"""The REST API under /api/v1/ (django-ninja: OpenAPI 3 generated from the type hints).

Why django-ninja: its schemas are pydantic models, so the OpenAPI 3 description comes from the type hints
of thin function views that call our services and selectors directly; there is no serializer layer
repeating the validation the services already do (Django REST framework with drf-spectacular would add
one, and a second description of every field to keep in step). Input schemas derive from
``schemas.StrictSchema`` (unknown fields refused).

Authentication: the browser session (the site's pages) or a personal token (``Authorization: Bearer``,
``auth.TokenAuth``). Every error is JSON (``errors.py``; ``middleware.ApiGuardMiddleware`` for body size,
unknown paths and server errors).

Each router lives in its own module and is a thin layer over the same services and selectors as the
pages. Routers are registered here, one line each."""

from ninja import NinjaAPI

from ansinh.api import errors
from ansinh.api.auth import session_auth, token_auth

api = NinjaAPI(
    title="An Sinh API",
    version="1",
    description="API của An Sinh: hộ gia đình, người tham gia, báo giá, thu tiền, chiến dịch, danh mục.",
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs/",
    auth=[token_auth, session_auth],  # the token first: a Bearer request meets no session CSRF check
)
errors.install(api)

# Routers (one line each; keep sorted):
from ansinh.api.routers import campaigns, cancellations, meta, payments, quotes, reference, registry, tokens, visits  # noqa: E402

api.add_router("/campaigns/", campaigns.router)
api.add_router("/cancellations/", cancellations.router)
api.add_router("/meta/", meta.router)
api.add_router("/payments/", payments.router)
api.add_router("/quotes/", quotes.router)
api.add_router("/reference/", reference.router)
api.add_router("/registry/", registry.router)
api.add_router("/tokens/", tokens.router)
api.add_router("/visits/", visits.router)
