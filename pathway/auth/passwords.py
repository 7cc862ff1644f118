"""Passwords: the rule every way of setting one follows (the admin form, the create-user
command, changing your own), and hashing with Argon2id (argon2-cffi's defaults: a slow,
memory-hard KDF).

The rule follows the NCSC's password guidance: length matters, composition rules do not (three
random words are welcome). A password must be at least 12 characters and is refused if it is
- one of the commonest passwords (the 30,000 of the list zxcvbn ships), also with digits or
  symbols before or after it ("password2026!"), spaces and capitals ignored;
- one character, or a short run of characters, repeated ("aaaaaaaaaaaa", "abcabcabcabc"), a
  run along the alphabet, the digits or the keyboard ("123456789012", "qwertyuiopas"), or only
  spaces;
- the person's own email address, or contains the part before the @.
"""
from __future__ import annotations

import re
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 1000
RULE = (f"Use at least {MIN_LENGTH} characters. Three random words together make a good password. Do not use "
        "a common password, a repeated pattern or your email address.")  # fmt: skip
_hasher = PasswordHasher()
# Verified against when no such user exists, so that a wrong e-mail costs the same time as a
# wrong password and the response does not reveal which it was. Made at the first sign-in, not at
# import: a command (`queue`, `report`) never signs anyone in and should not pay for a hash.
_DUMMY: str | None = None


def _dummy() -> str:
    global _DUMMY
    if _DUMMY is None:
        _DUMMY = _hasher.hash("pathway-no-such-user-dummy-password")
    return _DUMMY
_RUNS = ("abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiopasdfghjklzxcvbnm", "1qaz2wsx3edc4rfv5tgb6yhn7ujm")
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")


class PasswordTooShort(ValueError):
    pass


class WeakPassword(ValueError):
    pass


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def _repeated(text: str) -> bool:
    """One to four characters repeated, or a common password said twice or more."""
    for n in range(1, len(text) // 2 + 1):
        if len(text) % n == 0 and text == text[:n] * (len(text) // n):
            if n <= 4 or text[:n] in common_passwords():
                return True
    return False


def _a_run(text: str) -> bool:
    return any(text in run * 3 or text in run[::-1] * 3 for run in _RUNS)


def password_problem(password: str, email: str | None = None) -> str | None:
    """What is wrong with `password` for the person with `email`, or None if it may be used."""
    if len(password) < MIN_LENGTH:
        return f"The password must be at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"The password must be {MAX_LENGTH} characters or fewer"
    squashed = re.sub(r"\s+", "", password).lower()
    if not squashed:
        return "The password cannot be only spaces"
    if _repeated(squashed) or _a_run(squashed):
        return "The password is too easy to guess: it is a character or a short pattern repeated, or a run of letters or numbers"
    core = _EDGES.sub("", squashed)
    if squashed in common_passwords() or core in common_passwords():
        return "The password is one of the most common passwords: choose another, such as three random words"
    if email:
        address = email.strip().lower()
        local = address.split("@", 1)[0]
        if squashed == re.sub(r"\s+", "", address) or (len(local) >= 3 and local in squashed):
            return "The password must not be or contain your email address"
    return None


def check_password(password: str, email: str | None = None) -> None:
    problem = password_problem(password, email)
    if problem:
        raise (PasswordTooShort if "at least" in problem else WeakPassword)(problem)


def hash_password(password: str) -> str:
    if len(password) < MIN_LENGTH:
        raise PasswordTooShort(f"A password must be at least {MIN_LENGTH} characters long.")
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _dummy(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
