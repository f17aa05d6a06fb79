"""The sign-up confirmation link: valid once, for a few days, for one account."""

from typing import Any

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class ConfirmationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "leonsite.accounts.tokens.ConfirmationTokenGenerator"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        # Confirming sets the date, so a link works once; a new address invalidates it.
        confirmed = user.profile.email_confirmed_at
        return f"{user.pk}{user.email}{confirmed}{user.is_active}{timestamp}"


confirmation_tokens = ConfirmationTokenGenerator()
