"""Fetching an article by its address, for the desk's intake, safely: what anyone signed in may make the server ask.

Only http and https; only public addresses. The host is resolved and every
address it has is checked before connecting, and the connection is made to a
checked address (so a name that resolves again differently cannot slip
through); each redirect is checked the same way. The answer must come within
FETCH_TIMEOUT_SECONDS, be at most FETCH_MAX_BYTES and be an HTML page. Its
main text and metadata are then read by trafilatura, as a pasted page's are.

FetchRefused is the address's or the page's fault (retrying will not help);
FetchFailed (a timeout, a server error) may pass.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from urllib.parse import urljoin, urlsplit

from django.conf import settings

from claims.extraction.cleaning import html_to_text

MAX_REDIRECTS = 5
TYPES_TAKEN = ("text/html", "application/xhtml+xml")
# Answers that may come out differently if asked again later.
PASSING_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
USER_AGENT = "factcheck-desk/1.0 (newsroom fact-checking; fetches one article an editor asked for)"


class FetchRefused(Exception):
    """The address or the page cannot be taken; the message says why, for the editor."""


class FetchFailed(Exception):
    """The fetch did not work this time (a timeout, a server error); it may another time."""


def address_allowed(address: str) -> bool:
    """Whether the server may connect to this IP address: public only (FETCH_ALLOW_PRIVATE widens it, for tests)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return settings.FETCH_ALLOW_PRIVATE or (ip.is_global and not ip.is_multicast)


def checked_connection(address: tuple[str, int], timeout=None, source_address=None) -> socket.socket:
    """socket.create_connection, to an address of the host only once every address it resolves to is allowed."""
    host, port = address[0].strip("[]"), address[1]
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        if error.errno == socket.EAI_AGAIN:
            raise FetchFailed(f"The name {host} could not be looked up just now ({error.strerror}).") from None
        raise FetchRefused(f"No server is called {host}: check the address.") from None
    refused = sorted({info[4][0] for info in found if not address_allowed(info[4][0])})
    if refused:
        raise FetchRefused(
            f"{host} is at {', '.join(refused)}, a private, loopback or link-local address: the desk fetches "
            "public pages only."
        )
    last_error = None
    for family, kind, protocol, _, socket_address in found:
        candidate = socket.socket(family, kind, protocol)
        candidate.settimeout(timeout)
        try:
            candidate.connect(socket_address)
            return candidate
        except OSError as error:
            candidate.close()
            last_error = error
    raise FetchFailed(f"Could not connect to {host}: {last_error}.")


class _CheckedHTTP(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # http.client's own hook for how it opens the socket (set per connection in its __init__).
        self._create_connection = checked_connection


class _CheckedHTTPS(http.client.HTTPSConnection):
    # Connects through checked_connection, then wraps the socket in TLS for the host's own name.
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = checked_connection


def fetch_page(url: str) -> tuple[str, bytes, str]:
    """The page at `url` after its redirects: its final address, its bytes and their charset (or "")."""
    deadline = time.monotonic() + settings.FETCH_TIMEOUT_SECONDS
    for _ in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            refused = parts.scheme or url
            raise FetchRefused(f"“{refused}:” addresses are not fetched: give an http:// or https:// address.")
        if not parts.hostname:
            raise FetchRefused(f"“{url}” names no server.")
        connection_class = _CheckedHTTPS if parts.scheme == "https" else _CheckedHTTP
        # An IPv6 address keeps its brackets, or http.client reads its last group as a port.
        host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
        connection = connection_class(host, parts.port, timeout=max(0.1, deadline - time.monotonic()))
        try:
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            accept = "text/html,application/xhtml+xml;q=0.9"
            connection.request("GET", path, headers={"User-Agent": USER_AGENT, "Accept": accept})
            response = connection.getresponse()
            if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
                url = urljoin(url, response.getheader("Location"))
                continue
            _check(url, response)
            return url, _read(response, deadline), response.headers.get_content_charset() or ""
        except ssl.SSLCertVerificationError as error:
            why = error.verify_message
            raise FetchRefused(f"{parts.hostname}'s certificate could not be verified ({why}).") from None
        except TimeoutError:
            raise FetchFailed(f"{parts.hostname} did not answer within {settings.FETCH_TIMEOUT_SECONDS} s.") from None
        except (http.client.HTTPException, ConnectionError) as error:
            raise FetchFailed(f"{parts.hostname} broke off the answer ({type(error).__name__}).") from None
        finally:
            connection.close()
    raise FetchRefused(f"The address redirects more than {MAX_REDIRECTS} times.")


def _check(url: str, response: http.client.HTTPResponse) -> None:
    if response.status in PASSING_STATUSES:
        raise FetchFailed(f"The server answered {response.status} {response.reason} for {url}.")
    if response.status != 200:
        raise FetchRefused(f"The server answered {response.status} {response.reason} for {url}.")
    kind = response.headers.get_content_type()
    if kind not in TYPES_TAKEN:
        raise FetchRefused(f"{url} is {kind}, not a web page (HTML): the desk takes articles' pages.")
    limit = settings.FETCH_MAX_BYTES
    size = response.getheader("Content-Length")
    if size and size.isdigit() and int(size) > limit:
        raise FetchRefused(f"The page is {int(size):,} bytes; the desk fetches pages of at most {limit:,}.")


def _read(response: http.client.HTTPResponse, deadline: float) -> bytes:
    limit, chunks, size = settings.FETCH_MAX_BYTES, [], 0
    while chunk := response.read1(64 * 1024):
        size += len(chunk)
        if size > limit:
            raise FetchRefused(f"The page is more than {limit:,} bytes; the desk fetches pages of at most {limit:,}.")
        if time.monotonic() > deadline:
            raise FetchFailed(f"The page took longer than {settings.FETCH_TIMEOUT_SECONDS} s to arrive.")
        chunks.append(chunk)
    return b"".join(chunks)


def fetch_article(url: str) -> dict:
    """The article at `url` as the intake takes it: its address, main text, and what the page says of itself."""
    final_url, data, charset = fetch_page(url)
    try:
        html = data.decode(charset or "utf-8")
    except (LookupError, UnicodeDecodeError):
        html = data.decode("utf-8", errors="replace")
    text, found = html_to_text(html)
    if not text.strip():
        raise FetchRefused(f"No article text was found at {final_url}: paste the article instead.")
    limit = settings.DESK_MAX_PASTE_CHARACTERS
    if len(text) > limit:
        raise FetchRefused(f"The article at {final_url} is {len(text):,} characters; the desk takes up to {limit:,}.")
    return {
        "url": final_url,
        "text": text,
        "headline": found.get("title") or "",
        "outlet": found.get("sitename") or "",
        "byline": found.get("author") or "",
        "language": found.get("language") or "",
    }
