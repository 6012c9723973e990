"""`manage.py feed_url USERNAME`: the private Atom feed URL of an editor."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from claims.feeds import feed_token


class Command(BaseCommand):
    help = "Print an editor's Atom feed URL of status changes (with their personal token)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username, is_staff=True).first()
        if user is None:
            raise CommandError(f"no staff user {username!r}")
        base = settings.SITE_URL.rstrip("/") + reverse("feeds-changes")
        self.stdout.write(f"{base}?token={feed_token(user)}")
