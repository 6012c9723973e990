"""Authentication backends: django-axes' lockout check, for logins that come with a request."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses locked-out logins (django-axes); a call without a request is not throttled.

    Login forms always pass the request. `authenticate()` without one comes from code run
    on the server (a shell, `manage.py bootstrap`'s check), which no remote guesser reaches;
    django-axes would raise there, having no address to count against.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
