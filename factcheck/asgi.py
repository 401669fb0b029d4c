"""The ASGI application `make serve` runs: Django on a fixed set of view threads, with a deadline.

gunicorn's ASGI worker reads requests on its event loop, and this application reads each body whole
before it takes a view thread, so a client that sends slowly holds a socket, never a thread. Views run
on WEB_THREADS single-thread executors per process, each keeping its database connection as under a
threaded WSGI server; requests beyond that wait their turn. A request not answered within
REQUEST_TIMEOUT seconds of its body's arrival gets a JSON 503; a view still running then finishes on its
own, its answer dropped, before its thread takes another request.

On its thread a request goes through Django's WSGI handler, not its ASGI one: every middleware here is
synchronous, and the ASGI handler crossed between the loop and the thread about five times a request
(each middleware adapted, the view, the response), which cost more than the views themselves.
"""

import asyncio
import io
import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

django_application = get_wsgi_application()

from django.conf import settings  # noqa: E402 (settings are read once the application is made)

from api.errors import error_body  # noqa: E402

# A file (a static file, a job's download) is sent in pieces of this size, each one a hop to the loop.
FILE_CHUNK_BYTES = 2**16

_idle: asyncio.Queue | None = None


async def application(scope, receive, send):
    if scope["type"] != "http":
        raise ValueError(f"Only HTTP is served here, not {scope['type']!r}.")  # gunicorn then skips lifespan
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
    answer = _Answer(asyncio.get_running_loop(), send)
    try:
        messages = await asyncio.wait_for(
            _on_a_view_thread(answer.run, _environ(scope, bytes(body))), settings.REQUEST_TIMEOUT
        )
    except TimeoutError:
        answer.abandoned = True
        if answer.started:
            raise  # half an answer cannot become another one: the server closes the connection
        seconds = settings.REQUEST_TIMEOUT
        message = f"The request took longer than {seconds} s and was stopped; send less (a shorter text) or try later."
        await _answer(send, 503, "timeout", message, [(b"retry-after", b"60")])
        return
    for message in messages:
        answer.started = True
        await send(message)


class _Answer:
    """One request through Django's WSGI handler on a view thread, its response given to the event loop.

    A whole response comes back as its messages, sent once the thread is done; a streaming one (a file) is
    sent piece by piece as the thread reads it, each piece waiting for the loop to take it.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop, send):
        self.loop, self.send = loop, send
        self.start: dict | None = None
        self.started = False
        self.abandoned = False  # past the deadline: whatever the view still gives is dropped

    def start_response(self, status: str, headers: list, exc_info=None) -> None:
        code = int(status.split(" ", 1)[0])
        encoded = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in headers]
        self.start = {"type": "http.response.start", "status": code, "headers": encoded}

    def run(self, environ: dict) -> list[dict]:
        response = django_application(environ, self.start_response)
        try:
            if not getattr(response, "streaming", False):
                return [self.start, {"type": "http.response.body", "body": b"".join(response)}]
            if hasattr(response, "block_size"):
                response.block_size = FILE_CHUNK_BYTES
            self.send_now(self.start)
            for chunk in response:
                self.send_now({"type": "http.response.body", "body": chunk, "more_body": True})
            self.send_now({"type": "http.response.body", "body": b""})
            return []
        finally:
            response.close()  # request_finished, on the thread whose database connection it closes

    def send_now(self, message: dict) -> None:
        if self.abandoned:
            raise ConnectionAbortedError("The request's deadline passed; its answer was a 503.")
        self.started = True
        asyncio.run_coroutine_threadsafe(self.send(message), self.loop).result()


def _environ(scope: dict, body: bytes) -> dict:
    """The WSGI environ of an ASGI HTTP request whose whole body has been read."""
    path = scope["path"].encode("utf-8").decode("latin-1")
    root = scope.get("root_path", "").encode("utf-8").decode("latin-1")
    server = scope.get("server") or ("localhost", 80)
    environ = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": root,
        "PATH_INFO": path.removeprefix(root),
        "QUERY_STRING": scope["query_string"].decode("latin-1"),
        "SERVER_PROTOCOL": f"HTTP/{scope['http_version']}",
        "SERVER_NAME": server[0],
        "SERVER_PORT": str(server[1] or 0),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if scope.get("client"):
        environ["REMOTE_ADDR"] = scope["client"][0]
    for name, value in scope["headers"]:
        name = name.decode("latin-1").upper().replace("-", "_")
        key = name if name in ("CONTENT_LENGTH", "CONTENT_TYPE") else f"HTTP_{name}"
        value = value.decode("latin-1")
        if key in environ:  # a header sent twice is one, joined as Django's ASGI handler joins it
            value = f"{environ[key]}{'; ' if key == 'HTTP_COOKIE' else ','}{value}"
        environ[key] = value
    return environ


async def _on_a_view_thread(work, environ: dict):
    global _idle
    if _idle is None:  # made on the worker's event loop, at its first request
        _idle = asyncio.Queue()
        for number in range(settings.WEB_THREADS):
            _idle.put_nowait(ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"view-{number}"))
    idle = _idle
    executor = await idle.get()
    loop = asyncio.get_running_loop()
    try:
        return await loop.run_in_executor(executor, work, environ)
    finally:
        # Idle again once whatever it still runs (a view past its deadline) has finished.
        executor.submit(loop.call_soon_threadsafe, idle.put_nowait, executor)


async def _answer(send, status: int, code: str, message: str, headers: list | None = None) -> None:
    headers = [(b"content-type", b"application/json"), (b"cache-control", b"no-store"), *(headers or [])]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": json.dumps(error_body(status, code, message)).encode()})
