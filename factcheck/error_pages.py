"""Django's error handlers: JSON in the API's one error shape under /api/, a plain page elsewhere.

Both name the request id, so whoever sees the error can quote it and an operator finds the log line.
"""

from django.http import HttpResponse, JsonResponse
from django.template import loader

from api import errors as api_errors
from factcheck.requests import current_request_id

# status: (code, title, what to do)
PAGES = {
    400: ("bad_request", "Bad request", "The request could not be understood; check the address and try again."),
    403: ("permission_denied", "Not allowed", "Your account may not do this; ask an editor if you think it should."),
    404: ("not_found", "Not found", "Nothing is published at this address; check it for typos."),
    500: ("server_error", "Something went wrong", "Something went wrong on our side; it has been logged."),
    # factcheck/outage.py: the database did not answer.
    503: ("database_unavailable", "Briefly unavailable", "The database is not answering; try again in a few seconds."),
}


def answer(request, status: int) -> HttpResponse:
    code, title, message = PAGES[status]
    if request.path.startswith("/api/"):
        return JsonResponse(api_errors.error_body(status, code, message), status=status)
    # Rendered without the request's context processors, so a broken session or database cannot break the page.
    context = {"status": status, "title": title, "message": message, "request_id": current_request_id()}
    return HttpResponse(loader.render_to_string("error_page.html", context), status=status)


def bad_request(request, exception=None):
    return answer(request, 400)


def permission_denied(request, exception=None):
    return answer(request, 403)


def page_not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return api_errors.not_found(request)
    return answer(request, 404)


def server_error(request):
    return answer(request, 500)
