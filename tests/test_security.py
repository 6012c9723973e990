"""Admin login throttling (django-axes) and the Content-Security-Policy (django-csp).

The CSP check is static: every admin page is rendered and its HTML must hold nothing the
policy blocks (an inline script, an event-handler attribute, a style attribute or element,
a `javascript:` URL, a resource from another origin). A browser test is a separate matter.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.urls import reverse

from claims.models import Claim, Subscription
from tests.admin_rows import make_admin_rows

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


# --- Login throttling ---------------------------------------------------------------------


def _login(client, username: str, password: str):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR="198.51.100.7",
    )


def test_failed_admin_logins_lock_the_user_out(client, editor, settings):
    settings.AXES_FAILURE_LIMIT = 3

    answers = [_login(client, "editor", "wrong guess").status_code for _ in range(3)]
    locked = _login(client, "editor", PASSWORD)

    assert answers[:2] == [200, 200]  # the form again, with an error
    assert answers[2] == 429  # the third failure locks
    assert locked.status_code == 429  # and now even the right password is refused
    assert "_auth_user_id" not in client.session


def test_fewer_failures_than_the_limit_still_let_the_right_password_in(client, editor, settings):
    settings.AXES_FAILURE_LIMIT = 3

    for _ in range(2):
        _login(client, "editor", "wrong guess")
    response = _login(client, "editor", PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_a_lockout_is_per_user_name_and_address(client, editor, django_user_model, settings):
    settings.AXES_FAILURE_LIMIT = 2
    django_user_model.objects.create_user(username="other", password=PASSWORD, is_staff=True)
    for _ in range(2):
        _login(client, "editor", "wrong guess")

    assert _login(client, "editor", PASSWORD).status_code == 429
    assert _login(client, "other", PASSWORD).status_code == 302


def test_server_side_authenticate_without_a_request_still_works(editor):
    from django.contrib.auth import authenticate

    assert authenticate(username="editor", password=PASSWORD) == editor


# --- Content-Security-Policy --------------------------------------------------------------


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


class _PolicyViolations(HTMLParser):
    """What in a page `script-src 'self'; style-src 'self'` (and no nonce) would block."""

    DATA_BLOCK_TYPES = {"application/json", "application/ld+json"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> (event-handler attribute)")
            if name == "style":
                self.problems.append(f"<{tag} style={value!r}> (style attribute)")
            if name in ("href", "src", "action") and value.strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}={value!r}> (javascript: URL)")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script":
            kind = values.get("type", "").lower()
            if "src" in values:
                self._check_same_origin(tag, values["src"])
            elif kind not in self.DATA_BLOCK_TYPES:
                self._in_inline_script = True
        if tag == "link" and "stylesheet" in values.get("rel", ""):
            self._check_same_origin(tag, values.get("href", ""))
        if tag == "img":
            self._check_same_origin(tag, values.get("src", ""), allow_data=True)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_inline_script = False

    def handle_data(self, data: str) -> None:
        if self._in_inline_script and data.strip():
            self.problems.append(f"inline <script>: {data.strip()[:80]!r}")

    def _check_same_origin(self, tag: str, url: str, *, allow_data: bool = False) -> None:
        parts = urlsplit(url)
        if allow_data and parts.scheme == "data":
            return
        if parts.scheme or parts.netloc:
            self.problems.append(f"<{tag}> from another origin: {url}")


def policy_violations(html: str) -> list[str]:
    parser = _PolicyViolations()
    parser.feed(html)
    parser.close()
    return parser.problems


@pytest.mark.unit
def test_the_html_check_finds_what_the_policy_blocks():
    page = (
        '<script src="/static/a.js"></script><script type="application/ld+json">{}</script>'
        '<script>alert(1)</script><a onclick="x()" href="javascript:x()">x</a>'
        '<p style="color:red">x</p><style>p{}</style><script src="https://cdn.example/x.js">'
        "</script>"
    )

    problems = policy_violations(page)

    assert len(problems) == 6, problems
    assert policy_violations('<script src="/static/a.js"></script><p class="x">ok</p>') == []


@pytest.fixture
def rows(editor):
    make_admin_rows(source_error="HTTP 500")


def admin_pages() -> list[str]:
    """The login page, the index, and every model's changelist, add and first change page."""
    pages = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        pages.append(reverse("admin:{}_{}_changelist".format(*info)))
        if model_admin.has_add_permission(_superuser_request()):
            pages.append(reverse("admin:{}_{}_add".format(*info)))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
            pages.append(reverse("admin:{}_{}_history".format(*info), args=[first.pk]))
    pages.append(reverse("admin:sources_article_paste"))  # the one custom admin page
    return pages


def _superuser_request():
    from django.contrib.auth.models import User
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = User(is_superuser=True, is_staff=True, is_active=True)
    return request


def test_the_csp_header_is_on_admin_pages_and_forbids_inline_code(client, admin_client, rows):
    for response in (client.get(reverse("admin:login")), admin_client.get(reverse("admin:index"))):
        policy = _directives(response["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"]
        assert policy["style-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert not any("unsafe" in value for values in policy.values() for value in values)


def test_admin_pages_hold_nothing_the_policy_blocks(client, admin_client, rows):
    pages = admin_pages()
    assert len(pages) > 20  # every registered model was visited
    failures = {}
    login = client.get(reverse("admin:login"))
    for url, response in [
        (reverse("admin:login"), login),
        *((url, admin_client.get(url)) for url in pages),
    ]:
        assert response.status_code == 200, url
        assert "Content-Security-Policy" in response, url
        problems = policy_violations(response.content.decode())
        if problems:
            failures[url] = problems
    assert failures == {}


def test_the_lockout_page_carries_the_policy_too(client, editor, settings):
    settings.AXES_FAILURE_LIMIT = 1

    response = _login(client, "editor", "wrong guess")

    assert response.status_code == 429
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_public_pages_hold_nothing_the_policy_blocks(client, editor, settings, rows):
    from claims.alerts import unsubscribe_url
    from claims.editing import set_status

    settings.ALERT_PUBLIC_PAGES = True
    claim = Claim.objects.get()
    set_status(claim, "missed", editor=editor)
    subscription = Subscription.objects.get()
    pages = {
        reverse("claim-review", args=[claim.pk]): 200,
        urlsplit(unsubscribe_url(subscription)).path: 200,
        reverse("alerts-unsubscribe", args=["not-a-token"]): 404,
    }

    for url, status in pages.items():
        response = client.get(url)
        assert response.status_code == status, url
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert policy_violations(response.content.decode()) == [], url
