"""`manage.py subscribe EMAIL (--claim ID | --speaker | --keyword | --all ...) [--digest]`."""

from __future__ import annotations

import zoneinfo

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from claims.models import Claim, Subscription


class Command(BaseCommand):
    help = "Subscribe an address to alerts on a claim, a speaker, an outlet, a keyword or all."

    def add_arguments(self, parser):
        parser.add_argument("email")
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--claim", type=int, metavar="ID", help="Follow one claim.")
        target.add_argument("--speaker", metavar="NAME", help="Claims by this speaker.")
        target.add_argument("--outlet", metavar="NAME", help="Claims reported by this outlet.")
        target.add_argument("--keyword", metavar="WORD", help="Claims mentioning this word.")
        target.add_argument("--all", action="store_true", help="Every claim.")
        parser.add_argument("--digest", action="store_true", help="A daily digest, not at once.")
        parser.add_argument("--hour", type=int, default=7, help="Digest hour, 0-23 (default 7).")
        parser.add_argument("--tz", default="UTC", help="Time zone of the digest hour.")
        parser.add_argument(
            "--changes", choices=[c.value for c in Subscription.Changes], default="all"
        )

    def handle(self, *args, email, claim, speaker, outlet, keyword, digest, hour, tz, changes, **o):
        try:
            validate_email(email)
        except ValidationError as exc:
            raise CommandError(f"{email!r} is not an email address") from exc
        if not 0 <= hour <= 23:
            raise CommandError("--hour must be between 0 and 23")
        try:
            zoneinfo.ZoneInfo(tz)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise CommandError(f"unknown time zone {tz!r}") from exc
        target = None
        if claim is not None:
            target = Claim.objects.filter(pk=claim).first()
            if target is None:
                raise CommandError(f"no claim with id {claim}")
        lookup = {
            "email": email,
            "claim": target,
            "speaker": (speaker or "").strip(),
            "outlet": (outlet or "").strip(),
            "keyword": (keyword or "").strip(),
        }
        values = {
            "frequency": Subscription.Frequency.DAILY
            if digest
            else Subscription.Frequency.IMMEDIATE,
            "digest_hour": hour,
            "time_zone": tz,
            "changes": changes,
            "is_active": True,
        }
        sub, created = Subscription.objects.update_or_create(**lookup, defaults=values)
        verb = "subscribed" if created else "updated"
        self.stdout.write(f"{verb}: {sub} ({sub.get_frequency_display()}) [id {sub.pk}]")
