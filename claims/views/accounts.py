"""Signing in and out of the desk: Django's own views, under the desk's look.

Sign-in goes through django.contrib.auth's authenticate() with the request, so
django-axes counts failures per account and address here as in the admin.
"""

from django.contrib.auth import views as auth_views

sign_in = auth_views.LoginView.as_view(template_name="desk/sign_in.html", redirect_authenticated_user=True)
# A POST, as Django requires since 5.0: a link or an image cannot sign anyone out.
sign_out = auth_views.LogoutView.as_view()
