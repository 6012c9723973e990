"""`manage.py bootstrap`: the admin user and the demo data for `make run` (idempotent)."""

from __future__ import annotations

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from claims.demo import load_demo_data

PASSWORD_ENV = "CLAIMWATCH_ADMIN_PASSWORD"  # noqa: S105 - the variable's name, not a secret


class Command(BaseCommand):
    help = (
        "Create the admin user (password from $CLAIMWATCH_ADMIN_PASSWORD, or generated and "
        "printed once) and load the demo data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("CLAIMWATCH_ADMIN_USER", "admin"))
        parser.add_argument("--email", default="admin@localhost")
        parser.add_argument("--no-demo", action="store_true", help="Skip the demo data.")

    def handle(self, *args, username: str, email: str, no_demo: bool, **options):
        self.ensure_admin(username, email)
        if not no_demo:
            summary = load_demo_data()
            self.stdout.write(f"Demo data: {summary}")

    def ensure_admin(self, username: str, email: str) -> None:
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(
                f"Admin user '{username}' exists; its password was printed when it was created "
                f"(reset it with: python manage.py changepassword {username})."
            )
            return
        password = os.environ.get(PASSWORD_ENV)
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email=email, password=password)
        self.stdout.write(self.style.SUCCESS(f"Created admin user '{username}'."))
        if generated:
            # Printed once, here; it is not stored anywhere in clear text.
            self.stdout.write(self.style.WARNING(f"  username: {username}\n  password: {password}"))
        else:
            self.stdout.write(f"  password taken from ${PASSWORD_ENV}")
