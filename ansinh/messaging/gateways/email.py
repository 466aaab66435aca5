"""E-mail through Django's mail (``EMAIL_BACKEND``); the address is the one the person gave with consent."""

import smtplib

from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.core.exceptions import ValidationError as DjangoValidationError

from . import GatewayRefused, GatewayRetry, Outgoing, SendResult


class EmailGateway:
    channel = "email"

    def __init__(self, config: dict):
        self.sender = config.get("from", "")
        self.subject = config.get("subject", "Nhắc hạn BHYT, BHXH tự nguyện")

    def send(self, outgoing: Outgoing) -> SendResult:
        try:
            validate_email(outgoing.address)
        except DjangoValidationError:
            raise GatewayRefused("Địa chỉ thư điện tử không hợp lệ.") from None
        message = EmailMessage(subject=outgoing.subject or self.subject, body=outgoing.text,
                               from_email=self.sender or None, to=[outgoing.address],
                               headers={"X-AnSinh-Ref": outgoing.ref})
        try:
            message.send()
        except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, TimeoutError, ConnectionError):
            raise GatewayRetry("Máy chủ thư không trả lời.") from None
        except smtplib.SMTPRecipientsRefused:
            raise GatewayRefused("Máy chủ thư từ chối địa chỉ nhận.") from None
        return SendResult(provider_id=outgoing.ref, http_status=None, answer="accepted by mail backend")
