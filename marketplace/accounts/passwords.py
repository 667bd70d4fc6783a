"""Password hashing with Argon2id (argon2-cffi), re-hashed on sign-in when the parameters change."""

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

_default = PasswordHasher()
#: the test suite hashes hundreds of passwords; same algorithm, small cost
_fast = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
#: per hasher: the hash of a random password, verified when no account matches so that unknown accounts cost the
#: same work as known ones (nobody learns which phone numbers have an account from the answer's timing)
_dummies: dict[int, str] = {}


def _hasher() -> PasswordHasher:
    return _fast if current_app.config.get("PASSWORD_HASH_FAST") else _default


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def dummy_hash() -> str:
    """A hash with the current parameters that no typed password matches."""
    hasher = _hasher()
    if id(hasher) not in _dummies:
        _dummies[id(hasher)] = hasher.hash(secrets.token_urlsafe(24))
    return _dummies[id(hasher)]


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)
