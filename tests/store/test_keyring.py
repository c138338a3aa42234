"""The keyring is trusted only when it is a real backend that round-trips a secret."""

from keyring.backend import KeyringBackend
from keyring.backends import fail, null

from firstcontact.store.keyring_support import KeyringStatus, is_trusted_backend


class MemoryKeyring(KeyringBackend):
    priority = 5  # type: ignore[assignment]

    def __init__(self):
        super().__init__()
        self.items = {}

    def set_password(self, service, username, password):
        self.items[(service, username)] = password

    def get_password(self, service, username):
        return self.items.get((service, username))

    def delete_password(self, service, username):
        del self.items[(service, username)]


class DroppingKeyring(MemoryKeyring):
    def set_password(self, service, username, password):
        pass  # silently drops secrets, like a broken headless backend


class LowPriority(MemoryKeyring):
    priority = 0.5  # type: ignore[assignment]


def test_a_working_backend_is_trusted_and_left_clean():
    backend = MemoryKeyring()
    assert is_trusted_backend(backend)
    assert backend.items == {}
    status = KeyringStatus(backend)
    assert status.available
    assert status.notice_once() is None


def test_fail_null_dropping_and_low_priority_backends_are_refused():
    for backend in (fail.Keyring(), null.Keyring(), DroppingKeyring(), LowPriority()):
        assert not is_trusted_backend(backend), type(backend).__name__


def test_passphrase_only_is_said_once():
    status = KeyringStatus(fail.Keyring())
    assert not status.available
    assert "passphrase only" in status.notice_once()
    assert status.notice_once() is None
