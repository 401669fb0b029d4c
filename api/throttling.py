"""Throttles whose rates come from settings at request time (so tests and deployments can set them)."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class AnonThrottle(AnonRateThrottle):
    def get_rate(self):
        return settings.API_ANON_RATE


class UserThrottle(UserRateThrottle):
    def get_rate(self):
        return settings.API_USER_RATE
