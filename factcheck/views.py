from django.views.defaults import server_error as html_server_error

from api.errors import server_error as json_server_error


def server_error(request, *args, **kwargs):
    if request.path.startswith("/api/"):
        return json_server_error(request)
    return html_server_error(request, *args, **kwargs)
