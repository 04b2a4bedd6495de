"""Passwords are stored as argon2id hashes (argon2-cffi's recommended parameters), never as text."""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()
MIN_LENGTH = 10


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def dummy_hash() -> str:
    """A hash of a random password no one knows, made with the same parameters as every user's: verified when a
    user name is unknown or disabled, so that answer costs one argon2 verification, like a known name's."""
    return _HASHER.hash(secrets.token_urlsafe(24))


def needs_rehash(password_hash: str) -> bool:
    return _HASHER.check_needs_rehash(password_hash)
