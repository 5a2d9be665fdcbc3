"""The only code that touches Thunderbird's NSS library: encrypts and checks saved passwords with a profile's key4.db.

It runs in a short-lived child process of its own (`logins.py` starts it), never inside the wizard or the CLI:
NSS is process-global (one database per process, and a second NSS_Initialize silently keeps the first one's
keys), Thunderbird's copy of it brings its own sqlite and NSPR, and a crash in a foreign library must not take
the assistant down. The child reads one JSON request on stdin, writes one JSON answer on stdout and exits; the
password travels only through that pipe, and nothing here logs or prints anything else.

What it does is what Thunderbird's own login manager does (toolkit/components/passwordmgr/crypto-SDR.sys.mjs,
security/manager/ssl/SecretDecoderRing.cpp): text as UTF-8, PK11SDR_Encrypt with the internal key slot's
default key, base64. A new database is initialised with an empty password as Thunderbird does on first start;
a database with a primary password is never unlocked (NSS is given no way to ask), it is only reported.

Standard library only, so the child starts fast and can run from a frozen build.
"""

from __future__ import annotations

import base64
import binascii
import ctypes
import json
import os
import sys
from pathlib import Path
from typing import Any

WORKER_FLAG = "--thunderbird-nss-worker"  # the frozen builds' entry scripts run main() when given this

NSS_INIT_NOMODDB = 0x4  # only the internal token: no PKCS#11 modules from the profile's pkcs11.txt
NSS_INIT_NOROOTINIT = 0x10  # no built-in roots module: only the key database is needed
SEC_SUCCESS = 0
SEC_ERROR_BAD_PASSWORD = -0x2000 + 15


def Message(template: str) -> str:  # marks a sentence for the catalog (the assistant translates it)
    return template


# Thunderbird's NSS is linked against libraries in its own folder (on Linux a newer libnssutil3 than the
# system's, and its own sqlite): loaded first, by path, they win over the system's copies of the same name.
_SIBLINGS = ("mozglue", "nspr4", "plc4", "plds4", "mozsqlite3", "nssutil3")


class NssFailure(Exception):
    """Something NSS refused; str() names the step and NSS's error number, never any secret.

    Raised with an English template and its values: the answer carries both, so the assistant can show the
    sentence in the person's language (this process stays standard library only and speaks no language).
    """

    def __init__(self, template: str, **params: object) -> None:
        self.template = template
        self.params = {k: str(v) for k, v in params.items()}
        super().__init__(template.format_map(self.params))

    def answer(self) -> dict[str, Any]:
        return {"status": "error", "message": str(self), "template": self.template, "params": self.params}


class _SECItem(ctypes.Structure):
    _fields_ = [("type", ctypes.c_uint), ("data", ctypes.POINTER(ctypes.c_ubyte)), ("len", ctypes.c_uint)]


def _sibling_file(folder: Path, name: str) -> Path:
    if sys.platform == "win32":
        return folder / f"{name}.dll"
    if sys.platform == "darwin":
        return folder / f"lib{name}.dylib"
    return folder / f"lib{name}.so"


def load_library(library: str) -> ctypes.CDLL:
    """Thunderbird's libnss3 (a path), after its siblings; or a system library name (no folder to take them from)."""
    path = Path(library)
    mode = getattr(ctypes, "RTLD_GLOBAL", 0)
    try:
        if path.is_absolute():
            folder = path.parent
            if sys.platform in ("win32", "darwin"):
                os.chdir(folder)  # where the loader also looks for mozglue on some setups (this process is ours)
            if sys.platform == "win32":
                os.add_dll_directory(str(folder))  # nss3.dll needs mozglue.dll from the same folder
            for name in _SIBLINGS:
                sibling = _sibling_file(folder, name)
                if sibling.is_file():
                    ctypes.CDLL(str(sibling), mode=mode)
        return ctypes.CDLL(library, mode=mode)
    except OSError as exc:
        raise NssFailure(
            Message("Thunderbird's security library {library} could not be loaded ({why})"), library=library, why=exc
        ) from None


def _declare(nss: ctypes.CDLL) -> None:
    slot = ctypes.c_void_p
    item = ctypes.POINTER(_SECItem)
    signatures: dict[str, tuple[list[Any], Any]] = {
        "NSS_Initialize": (
            [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint32],
            ctypes.c_int,
        ),
        "NSS_Shutdown": ([], ctypes.c_int),
        "PK11_GetInternalKeySlot": ([], slot),
        "PK11_FreeSlot": ([slot], None),
        "PK11_NeedUserInit": ([slot], ctypes.c_int),
        "PK11_NeedLogin": ([slot], ctypes.c_int),
        "PK11_InitPin": ([slot, ctypes.c_char_p, ctypes.c_char_p], ctypes.c_int),
        "PK11_CheckUserPassword": ([slot, ctypes.c_char_p], ctypes.c_int),
        "PK11SDR_Encrypt": ([item, item, item, ctypes.c_void_p], ctypes.c_int),
        "PK11SDR_Decrypt": ([item, item, ctypes.c_void_p], ctypes.c_int),
        "SECITEM_ZfreeItem": ([item, ctypes.c_int], None),
        "PORT_GetError": ([], ctypes.c_int),
    }
    for name, (argtypes, restype) in signatures.items():
        try:
            function = getattr(nss, name)
        except AttributeError:
            raise NssFailure(Message("the security library has no {name}"), name=name) from None
        function.argtypes = argtypes
        function.restype = restype


class _Session:
    """NSS opened read-write on one profile folder, for this process's one job."""

    def __init__(self, nss: ctypes.CDLL, profile: Path) -> None:
        self.nss = nss
        _declare(nss)
        config = f"sql:{profile}".encode()
        if nss.NSS_Initialize(config, b"", b"", b"secmod.db", NSS_INIT_NOMODDB | NSS_INIT_NOROOTINIT) != SEC_SUCCESS:
            raise NssFailure(
                Message("the profile's key database could not be opened (NSS error {code})"), code=nss.PORT_GetError()
            )
        self.slot = nss.PK11_GetInternalKeySlot()
        if not self.slot:
            raise NssFailure(
                Message("the profile's key database has no key slot (NSS error {code})"), code=nss.PORT_GetError()
            )

    def unlocked(self) -> bool:
        """True when usable without a password: a new database gets Thunderbird's empty one; False: primary password."""
        nss = self.nss
        if nss.PK11_NeedUserInit(self.slot):
            if nss.PK11_InitPin(self.slot, None, b"") != SEC_SUCCESS:
                raise NssFailure(
                    Message("a new key database could not be set up (NSS error {code})"), code=nss.PORT_GetError()
                )
            return True
        if not nss.PK11_NeedLogin(self.slot):
            return True
        if nss.PK11_CheckUserPassword(self.slot, b"") == SEC_SUCCESS:
            return True
        error = nss.PORT_GetError()
        if error == SEC_ERROR_BAD_PASSWORD:
            return False
        raise NssFailure(
            Message("the key database could not be checked for a primary password (NSS error {code})"), code=error
        )

    def encrypt(self, text: str) -> str:
        data = text.encode("utf-8")
        buffer = ctypes.create_string_buffer(data, len(data))
        source = _SECItem(0, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ubyte)), len(data))
        key_id = _SECItem(0, None, 0)  # the database's default SDR key, created on first use
        result = _SECItem(0, None, 0)
        if self.nss.PK11SDR_Encrypt(ctypes.byref(key_id), ctypes.byref(source), ctypes.byref(result), None) != 0:
            raise NssFailure(Message("encrypting failed (NSS error {code})"), code=self.nss.PORT_GetError())
        try:
            return base64.b64encode(ctypes.string_at(result.data, result.len)).decode("ascii")
        finally:
            self.nss.SECITEM_ZfreeItem(ctypes.byref(result), 0)

    def decrypt(self, text: object) -> str | None:
        """The plain text, or None when it is not ours to read (another key, not base64, not UTF-8)."""
        if not isinstance(text, str):
            return None
        try:
            data = base64.b64decode(text, validate=False)
        except (binascii.Error, ValueError):
            return None
        buffer = ctypes.create_string_buffer(data, len(data))
        source = _SECItem(0, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ubyte)), len(data))
        result = _SECItem(0, None, 0)
        if self.nss.PK11SDR_Decrypt(ctypes.byref(source), ctypes.byref(result), None) != 0:
            return None
        try:
            return ctypes.string_at(result.data, result.len).decode("utf-8")
        except UnicodeDecodeError:
            return None
        finally:
            self.nss.SECITEM_ZfreeItem(ctypes.byref(result), 0)

    def close(self) -> None:
        if self.slot:
            self.nss.PK11_FreeSlot(self.slot)
            self.slot = None
        self.nss.NSS_Shutdown()


def serve(request: dict[str, Any]) -> dict[str, Any]:
    """One job: which stored logins are this user's (and already hold this password), and fresh ciphertexts.

    request: library, profile, username, password, candidates [[encryptedUsername, encryptedPassword], ...],
    count (how many new [username, password] ciphertext pairs to make).
    """
    nss = load_library(str(request["library"]))
    session = _Session(nss, Path(str(request["profile"])))
    try:
        if not session.unlocked():
            return {"status": "primary-password"}
        username, password = str(request["username"]), str(request["password"])
        matches = []
        for encrypted_user, encrypted_password in request.get("candidates", []):
            same_user = session.decrypt(encrypted_user) == username
            matches.append([same_user, same_user and session.decrypt(encrypted_password) == password])
        encrypted = [[session.encrypt(username), session.encrypt(password)] for _ in range(int(request["count"]))]
        return {"status": "ok", "matches": matches, "encrypted": encrypted}
    finally:
        session.close()


def main() -> int:
    """The child's whole life: one request in, one answer out, exit code 0 whenever an answer was written."""
    stdin = sys.stdin.buffer if sys.stdin is not None else os.fdopen(0, "rb")
    stdout = sys.stdout.buffer if sys.stdout is not None else os.fdopen(1, "wb")
    try:
        request = json.loads(stdin.read().decode("utf-8"))
        if not isinstance(request, dict):
            raise NssFailure(Message("the request is not a JSON object"))
        answer = serve(request)
    except NssFailure as exc:
        answer = exc.answer()
    except Exception as exc:  # an answer, never a traceback that could carry a value
        answer = NssFailure(Message("unexpected {error}"), error=type(exc).__name__).answer()
    stdout.write(json.dumps(answer).encode("utf-8"))
    stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
