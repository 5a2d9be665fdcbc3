"""Shared fixtures: the real Dovecot servers, a provider file pointing at them, and the CI skip rule."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def skip_or_fail(reason: str) -> None:
    """A missing server binary skips locally but fails in CI, where it means a broken install step."""
    if IN_CI:
        pytest.fail(f"CI=true and a required test server is unavailable: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _english_whatever_the_machine_speaks(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts in English, whatever the locale of the machine running the suite (a Spanish-speaking
    developer's run is the same as CI's; the CLI subprocesses inherit it too), and a test that changes the language
    does not leak it into the next. A test about the system's language sets its own LANG and calls
    set_language(None) or the CLI without --lang."""
    from setup_assistant.core import i18n

    for key in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    saved = i18n._language
    i18n.set_language("en")
    yield
    i18n._language = saved


@pytest.fixture(autouse=True)
def _private_app_data(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test writes into the real user's app folder (the CLI subprocesses inherit this too)."""
    folder = tmp_path_factory.mktemp("app-data")
    monkeypatch.setenv("SETUP_ASSISTANT_DATA_DIR", str(folder))
    monkeypatch.setenv("SETUP_ASSISTANT_LOG_DIR", str(folder / "logs"))
    return folder


@dataclass
class MailServers:
    """The running test servers and a provider file that points at them."""

    server: Any  # tests.servers.dovecot.DovecotServer
    ca: Any  # trustme.CA
    ca_path: Path
    ca_sha256: str
    provider_path: Path
    ports: dict[str, int]
    users: dict[str, str]

    def provider_file(self, directory: Path, **ports: int) -> Path:
        """Another provider file for the same servers with some ports replaced (e.g. a blackholed one)."""
        path = directory / f"provider-{'-'.join(f'{k}{v}' for k, v in sorted(ports.items())) or 'same'}.toml"
        path.write_text(self.server.provider_toml(self.ca_path, self.ca_sha256, ports=ports), encoding="utf-8")
        return path


@pytest.fixture(scope="session")
def mail_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MailServers]:
    from tests.servers.dovecot import USERS, DovecotServer, missing_reason
    from tests.servers.provider_file import write_ca

    reason = missing_reason()
    if reason:
        skip_or_fail(reason)
    import trustme

    ca = trustme.CA(organization_name="Setup Assistant Test CA")
    directory = tmp_path_factory.mktemp("mail-servers")
    ca_path = directory / "test-ca.pem"
    sha = write_ca(ca, ca_path)
    server = DovecotServer(ca).start()
    provider_path = directory / "provider.toml"
    provider_path.write_text(server.provider_toml(ca_path, sha), encoding="utf-8")
    try:
        yield MailServers(server, ca, ca_path, sha, provider_path, dict(server.ports), dict(USERS))
    finally:
        server.stop()
