"""Logging helpers used by the settings' LOGGING configuration."""

import logging


class ShortClientErrors(logging.Filter):
    """Keep the one-line record of a refused request (403, 404: status below 500) without its traceback:
    the traceback of an expected refusal only buries real errors. 5xx records keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
