"""One interface for every channel: ``gateway_for(channel, province_code).send(outgoing)``.

An adapter returns a ``SendResult`` when the gateway took the message, raises ``GatewayRetry`` when it may
take it later (timeout, connection refused, HTTP 5xx) and ``GatewayRefused`` when it never will (4xx, a refusal
in the answer, an invalid address). Endpoints and secrets come from settings (``MESSAGING_GATEWAYS``, with
per-province overrides in ``MESSAGING_PROVINCE_GATEWAYS``), never from the database.
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from django.conf import settings


@dataclass
class Outgoing:
    ref: str  # our random reference: the gateway's idempotency key
    address: str  # phone as recorded (10 digits) or e-mail
    text: str
    template_id: str = ""
    params: dict = field(default_factory=dict)
    subject: str = ""


@dataclass
class SendResult:
    provider_id: str
    http_status: int | None
    answer: str


class GatewayError(Exception):
    def __init__(self, reason: str, *, http_status: int | None = None, answer: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.http_status = http_status
        self.answer = answer


class GatewayRetry(GatewayError):
    """The gateway may take the message later: try again with backoff."""


class GatewayRefused(GatewayError):
    """The gateway will never take this message: fail it with the reason."""


def post_json(url: str, payload: dict, *, headers: dict, timeout: float) -> tuple[int, str, dict]:
    """POST ``payload`` as JSON; returns (status, body text, body JSON or {}). Raises GatewayRetry on timeout,
    connection errors and 5xx, GatewayRefused on other non-2xx answers."""
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode(), method="POST",
        headers={"Content-Type": "application/json", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, body = response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        body = error.read().decode("utf-8", "replace")[:500]
        if error.code >= 500:
            raise GatewayRetry(f"Cổng gửi tin lỗi {error.code}", http_status=error.code, answer=body) from None
        raise GatewayRefused(f"Cổng gửi tin từ chối (HTTP {error.code})", http_status=error.code,
                             answer=body) from None
    except (TimeoutError, socket.timeout):
        raise GatewayRetry("Cổng gửi tin không trả lời (quá thời gian chờ)") from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, (TimeoutError, socket.timeout)):
            raise GatewayRetry("Cổng gửi tin không trả lời (quá thời gian chờ)") from None
        raise GatewayRetry("Không kết nối được cổng gửi tin") from None
    except ConnectionError:
        raise GatewayRetry("Không kết nối được cổng gửi tin") from None
    try:
        data = json.loads(body) if body else {}
    except ValueError:
        data = {}
    return status, body[:500], data if isinstance(data, dict) else {}


def gateway_settings(channel: str, province_code: str | None) -> dict:
    """The channel's settings, with the province's overrides on top."""
    base = dict(getattr(settings, "MESSAGING_GATEWAYS", {}).get(channel, {}))
    by_province = getattr(settings, "MESSAGING_PROVINCE_GATEWAYS", {}).get(str(province_code or ""), {})
    base.update(by_province.get(channel, {}))
    return base


def gateway_for(channel: str, province_code: str | None = None):
    """The adapter of ``channel`` ("sms", "zalo", "email") configured for the province."""
    from .email import EmailGateway
    from .sms import SmsGateway
    from .zalo import ZaloGateway

    adapters = {"sms": SmsGateway, "zalo": ZaloGateway, "email": EmailGateway}
    return adapters[channel](gateway_settings(channel, province_code))
