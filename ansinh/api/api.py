"""The REST API under /api/v1/ (django-ninja: OpenAPI 3 generated from the type hints).

Each router lives in its own module and is a thin layer over the same services and selectors as the
pages. Routers are registered here, one line each."""

from ninja import NinjaAPI
from ninja.security import django_auth

from ansinh.api import errors

api = NinjaAPI(
    title="An Sinh API",
    version="1",
    description="API của An Sinh: hộ gia đình, người tham gia, báo giá, thu tiền, chiến dịch, danh mục.",
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs/",
    auth=[django_auth],
)
errors.install(api)

# Routers (one line each; keep sorted):
from ansinh.api.routers import campaigns, meta, payments, quotes, visits  # noqa: E402

api.add_router("/campaigns/", campaigns.router)
api.add_router("/meta/", meta.router)
api.add_router("/payments/", payments.router)
api.add_router("/quotes/", quotes.router)
api.add_router("/visits/", visits.router)
