from __future__ import annotations

import time
from typing import Any

import pyotp
from django.core.management.base import BaseCommand, CommandParser

from safeward.core.audit import audit_seal
from safeward.demo.foundation import DEMO_PASSWORD, PERSONAS
from safeward.demo.scenario import run_demo


class Command(BaseCommand):
    help = "Build the Quảng Ninh demo (idempotent: a second run reuses what exists) and print the logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2024)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        ctx = run_demo(options["seed"], log=lambda m: self.stdout.write(m))
        audit_seal()
        self.stdout.write(f"demo ready in {time.perf_counter() - started:.1f} s\n")
        self.stdout.write(
            f"Demo accounts (password for all: {DEMO_PASSWORD}); staff confirm with a TOTP code"
        )
        self.stdout.write(f"{'username':20} {'role / unit':55} TOTP secret (current code)")
        for username, (role, unit_key, _name) in PERSONAS.items():
            user = ctx.users[username]
            units = ctx.units.get(unit_key)
            where = (
                f"{len(units)} wards of former Cẩm Phả city"
                if isinstance(units, list)
                else getattr(units, "name", "—")
            )
            code = pyotp.TOTP(user.totp_secret).now() if user.totp_secret else ""
            self.stdout.write(
                f"{username:20} {(role or 'no role') + ' · ' + where:55} {user.totp_secret} ({code})"
            )
