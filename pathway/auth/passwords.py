"""Password hashing with Argon2id (argon2-cffi's defaults: a slow, memory-hard KDF)."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
_hasher = PasswordHasher()
# Verified against when no such user exists, so that a wrong e-mail costs the same time as a
# wrong password and the response does not reveal which it was.
_DUMMY = _hasher.hash("pathway-no-such-user-dummy-password")


class PasswordTooShort(ValueError):
    pass


def hash_password(password: str) -> str:
    if len(password) < MIN_LENGTH:
        raise PasswordTooShort(f"A password must be at least {MIN_LENGTH} characters long.")
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
