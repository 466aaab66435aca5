"""ansinh serve: serve an existing database with granian (a production WSGI server).

Example: ansinh serve --host 127.0.0.1 --port 8000
"""

import os
import subprocess
import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from ansinh.core.deploy import secret_key_require


DEFAULT_THREADS = min(8, 2 * (os.cpu_count() or 1) + 1)
"""Threads per worker: enough to overlap waiting on the database, no more than the server advises."""


def serve(*, host: str, port: int, workers: int = 1, threads: int = DEFAULT_THREADS,
          with_worker: bool = False) -> None:
    """Apply pending migrations, collect the static files, then serve ``config.wsgi:application`` on
    host:port until stopped, with ``workers`` processes of ``threads`` threads each. ``with_worker``: also
    run a background-job worker (``ansinh worker``) beside the server, stopped with it. Raises
    CommandError without DEBUG and without SECRET_KEY (``secret_key_require``)."""
    try:
        secret_key_require()
    except ImproperlyConfigured as exc:
        raise CommandError(str(exc)) from None
    from granian import Granian
    from granian.constants import Interfaces

    call_command("migrate", interactive=False, verbosity=0)
    # Static files copied once with their gzip (and Brotli) copies beside them: WhiteNoise then sends a
    # phone 60 KB of Chart.js instead of 210 KB. A second start copies only what changed.
    call_command("collectstatic", interactive=False, verbosity=0)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    worker = None
    if with_worker:
        worker = subprocess.Popen([sys.executable, "-c", "from ansinh.cli import main; main()", "worker"])
    try:
        Granian(
            "config.wsgi:application", address=host, port=port, interface=Interfaces.WSGI,
            workers=workers, blocking_threads=threads, log_access=False,
            respawn_failed_workers=True,  # a worker that dies is replaced, the others keep serving
        ).serve()
    finally:
        if worker is not None:  # SIGTERM: the worker finishes the group of rows it is writing, then exits
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()  # what it was doing is resumed by the next worker (ansinh/jobs/worker.py)


class Command(BaseCommand):
    help = "Phục vụ ứng dụng web trên cơ sở dữ liệu hiện có. Ví dụ: ansinh serve --host 127.0.0.1 --port 8000"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1, help="số tiến trình (mặc định 1)")
        parser.add_argument("--with-worker", action="store_true",
                            help="chạy kèm một tiến trình việc nền (ansinh worker); trên nhiều máy, chạy ansinh worker riêng")
        parser.add_argument("--threads", type=int, default=DEFAULT_THREADS,
                            help=f"số luồng mỗi tiến trình (mặc định {DEFAULT_THREADS}: 2 × số lõi + 1, tối đa 8)")

    def handle(self, *args, host, port, workers, threads, with_worker, **options):
        try:
            secret_key_require()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"An Sinh: http://{host}:{port}/")
        serve(host=host, port=port, workers=workers, threads=threads, with_worker=with_worker)
