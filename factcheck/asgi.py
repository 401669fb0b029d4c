"""The ASGI application `make serve` runs: Django's, on a fixed set of view threads, with a deadline.

gunicorn's ASGI worker reads requests on its event loop, and this application reads each body whole
before it takes a view thread, so a client that sends slowly holds a socket, never a thread. Views run
on WEB_THREADS single-thread executors per process (asgiref's ThreadSensitiveContext), so each thread
keeps its database connection as under a threaded WSGI server; requests beyond that wait their turn.
A request not answered within REQUEST_TIMEOUT seconds of its body's arrival gets a JSON 503; a view
still running then finishes on its own, its answer dropped, before its thread takes another request.
"""

import asyncio
import json
import os
import warnings
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import ThreadSensitiveContext
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

django_application = get_asgi_application()
# WhiteNoise answers static files with a file iterator; Django reads it on a thread, which suits files
# this small, and would otherwise warn on every one.
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous iterators")

from django.conf import settings  # noqa: E402 (settings are read once the application is made)

from api.errors import error_body  # noqa: E402

_idle: asyncio.Queue | None = None


async def application(scope, receive, send):
    if scope["type"] != "http":
        return await django_application(scope, receive, send)
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
        body += message.get("body", b"")
        if len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            return await _answer(send, 413, "too_large", f"The request body is larger than {limit} bytes.")
        if not message.get("more_body"):
            break
    replayed = False

    async def receive_body_then_wait():
        nonlocal replayed
        if replayed:
            return await receive()  # only a disconnect can come now
        replayed = True
        return {"type": "http.request", "body": bytes(body), "more_body": False}

    started = False

    async def send_noting_start(message):
        nonlocal started
        started = started or message["type"] == "http.response.start"
        await send(message)

    try:
        await asyncio.wait_for(
            _on_a_view_thread(scope, receive_body_then_wait, send_noting_start), settings.REQUEST_TIMEOUT
        )
    except TimeoutError:
        if started:
            raise  # half an answer cannot become another one: the server closes the connection
        seconds = settings.REQUEST_TIMEOUT
        message = f"The request took longer than {seconds} s and was stopped; send less (a shorter text) or try later."
        await _answer(send, 503, "timeout", message, [(b"retry-after", b"60")])


async def _on_a_view_thread(scope, receive, send):
    global _idle
    if _idle is None:  # made on the worker's event loop, at its first request
        _idle = asyncio.Queue()
        for number in range(settings.WEB_THREADS):
            _idle.put_nowait(ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"view-{number}"))
    idle = _idle
    executor = await idle.get()
    try:
        async with ThreadSensitiveContext(executor=executor):
            await django_application(scope, receive, send)
    finally:
        # Idle again once whatever it still runs (a view past its deadline) has finished.
        loop = asyncio.get_running_loop()
        executor.submit(loop.call_soon_threadsafe, idle.put_nowait, executor)


async def _answer(send, status: int, code: str, message: str, headers: list | None = None) -> None:
    headers = [(b"content-type", b"application/json"), (b"cache-control", b"no-store"), *(headers or [])]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": json.dumps(error_body(status, code, message)).encode()})
