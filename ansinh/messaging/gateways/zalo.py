"""Zalo ZNS template messages: POST JSON {"phone": "84xxxxxxxxx", "template_id", "template_data", "tracking_id"}
with the ``access_token`` header; the answer {"error": 0, "data": {"msg_id": "..."}} means accepted, any other
``error`` is a refusal with Zalo's ``message``."""

from ansinh.messaging.errors import PhoneInvalid
from ansinh.messaging.phones import phone_international

from . import GatewayRefused, Outgoing, SendResult, post_json


class ZaloGateway:
    channel = "zalo"

    def __init__(self, config: dict):
        self.url = config.get("url", "")
        self.access_token = config.get("access_token", "")
        self.timeout = float(config.get("timeout", 10))

    def send(self, outgoing: Outgoing) -> SendResult:
        try:
            phone = phone_international(outgoing.address)
        except PhoneInvalid as error:
            raise GatewayRefused(error.message) from None
        if not self.url:
            raise GatewayRefused("Chưa cấu hình địa chỉ Zalo ZNS (MESSAGING_GATEWAYS['zalo']['url']).")
        if not outgoing.template_id:
            raise GatewayRefused("Chưa có mã mẫu ZNS cho loại tin này.")
        status, body, data = post_json(
            self.url,
            {"phone": phone, "template_id": outgoing.template_id, "template_data": outgoing.params,
             "tracking_id": outgoing.ref},
            headers={"access_token": self.access_token}, timeout=self.timeout,
        )
        if data.get("error", 0) != 0:
            raise GatewayRefused(f"Zalo từ chối: {str(data.get('message', data.get('error')))[:200]}",
                                 http_status=status, answer=body)
        return SendResult(provider_id=str((data.get("data") or {}).get("msg_id") or ""), http_status=status,
                          answer=body)
