"""SMS brandname over an HTTP API: POST JSON {"brandname", "phone" (0xxxxxxxxx), "text", "ref"} with the key
in the Authorization header; a 2xx answer {"id": "..."} means accepted."""

from ansinh.messaging.errors import PhoneInvalid
from ansinh.messaging.phones import phone_national

from . import GatewayRefused, Outgoing, SendResult, post_json


class SmsGateway:
    channel = "sms"

    def __init__(self, config: dict):
        self.url = config.get("url", "")
        self.key = config.get("key", "")
        self.brandname = config.get("brandname", "")
        self.timeout = float(config.get("timeout", 10))

    def send(self, outgoing: Outgoing) -> SendResult:
        try:
            phone = phone_national(outgoing.address)
        except PhoneInvalid as error:
            raise GatewayRefused(error.message) from None
        if not self.url:
            raise GatewayRefused("Chưa cấu hình địa chỉ cổng SMS (MESSAGING_GATEWAYS['sms']['url']).")
        status, body, data = post_json(
            self.url, {"brandname": self.brandname, "phone": phone, "text": outgoing.text, "ref": outgoing.ref},
            headers={"Authorization": f"Bearer {self.key}"}, timeout=self.timeout,
        )
        if data.get("error"):
            raise GatewayRefused(f"Cổng SMS từ chối: {str(data.get('error'))[:200]}", http_status=status, answer=body)
        return SendResult(provider_id=str(data.get("id") or ""), http_status=status, answer=body)
