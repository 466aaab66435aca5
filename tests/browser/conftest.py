"""Browser tests drive Debian's Chromium through Playwright's sync API.

Playwright's sync API runs an event loop in the test thread, which makes Django refuse ORM calls there
("async-unsafe"); the test thread only reads and writes fixtures, so it is allowed explicitly.
"""

import os

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
