"""Production settings fail closed: no server without a signing key, check --deploy clean with the
README's production environment, a Content-Security-Policy without inline script, office-day sessions."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from ansinh.core.deploy import secret_key_require

ROOT = Path(__file__).resolve().parents[3]
MESSAGE = ("SECRET_KEY chưa được đặt: máy chủ An Sinh không khởi động khi tắt DEBUG mà không có khóa bí mật riêng. "
           "Đặt biến môi trường SECRET_KEY (một chuỗi ngẫu nhiên dài, ví dụ tạo bằng: python -c "
           "'import secrets; print(secrets.token_urlsafe(50))') rồi chạy lại.")
PRODUCTION = {"SECRET_KEY": "k" * 20 + "Zx8-Qw3_Lp0-Vb7_Hn2-Jm5_Tr9-Cd4_Fg6", "ALLOWED_HOSTS": "ansinh.example.vn",
              "ANSINH_HTTPS": "1", "ANSINH_PROXY_SSL_HEADER": "1",
              "CSRF_TRUSTED_ORIGINS": "https://ansinh.example.vn"}


def test_without_debug_and_key_the_server_refuses_to_start(settings):
    settings.DEBUG, settings.SECRET_KEY_FROM_ENV, settings.ANSINH_DEMO = False, False, False
    with pytest.raises(ImproperlyConfigured) as refused:
        secret_key_require()
    assert str(refused.value) == MESSAGE
    with pytest.raises(CommandError) as refused:
        call_command("serve", "--port", "8999")
    assert str(refused.value) == MESSAGE


def test_a_key_from_the_environment_or_the_demo_may_serve(settings):
    settings.DEBUG, settings.SECRET_KEY_FROM_ENV, settings.ANSINH_DEMO = False, True, False
    secret_key_require()
    settings.SECRET_KEY_FROM_ENV, settings.ANSINH_DEMO = False, True
    secret_key_require()


def test_check_deploy_is_clean_with_the_production_environment():
    """One process with the README's production environment: ``check --deploy`` (warnings fail too) and
    the settings it derives."""
    code = ("import django; django.setup(); from django.core.management import call_command; "
            "call_command('check', deploy=True, fail_level='WARNING'); "
            "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
            "s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_AGE, "
            "s.SESSION_EXPIRE_AT_BROWSER_CLOSE, len(s.AUTH_PASSWORD_VALIDATORS))")
    unset = {"SECRET_KEY", "DEBUG", "ANSINH_HTTPS", "ANSINH_DEMO",
             "DJANGO_ALLOW_ASYNC_UNSAFE"}  # the last one is set by the browser tests' conftest
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    env = {**clean, **PRODUCTION, "DJANGO_SETTINGS_MODULE": "config.settings"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines() == [
        "System check identified no issues (0 silenced).",
        "True True 31536000 ('HTTP_X_FORWARDED_PROTO', 'https') 28800 True 4"]


def test_check_deploy_reports_the_development_key(settings):
    from ansinh.core.deploy import secret_key_check

    settings.SECRET_KEY_FROM_ENV = False
    assert [(m.id, m.msg) for m in secret_key_check(None)] == [("ansinh.E001", MESSAGE)]
    settings.SECRET_KEY_FROM_ENV, settings.SECRET_KEY = True, PRODUCTION["SECRET_KEY"]
    assert secret_key_check(None) == []


def test_every_page_carries_a_policy_that_allows_no_inline_script(client, db):
    policy = client.get("/dang-nhap/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'" and directives["frame-ancestors"] == "'none'"


def test_no_template_has_an_inline_script_or_handler():
    found = []
    for path in (ROOT / "ansinh" / "templates").rglob("*.html"):
        text = path.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and 'type="application/json"' not in tag:
                found.append(f"{path.name}: {tag}")
        found += [f"{path.name}: {m}" for m in re.findall(r"\son[a-z]+=\"", text)]
        if "javascript:" in text:
            found.append(f"{path.name}: javascript:")
    assert found == []
