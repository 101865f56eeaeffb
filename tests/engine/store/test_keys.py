"""Key sources: scrypt from a passphrase (salt = the file's SQLCipher salt) or 256 random bits in the keyring."""

from __future__ import annotations

import json
import os
import time

import keyring.backends.fail
import keyring.backends.null
import pytest

from engine.store import NoPassphrase, Store, StoreError, keys

FAST = keys.Scrypt(n=2**12)


def test_scrypt_depends_on_passphrase_salt_and_is_unicode_normalised():
    kdf = keys.Scrypt(n=2**10)
    salt = b"s" * 16
    key = kdf.derive("pässword", salt)
    assert len(key) == 32
    assert kdf.derive("pa\u0308ssword", salt) == key  # decomposed ä typed on another system
    assert kdf.derive("pässword", b"t" * 16) != key
    assert kdf.derive("passwörd", salt) != key


def test_default_kdf_is_memory_hard():
    real = keys.Scrypt()
    assert 128 * real.n * real.r >= 128 * 2**20  # at least 128 MiB per guess (OWASP: N=2^17, r=8, p=1)
    assert keys.EXPORT_KDF == real or keys.EXPORT_KDF == FAST  # the fixture may have made it cheap


def test_kdf_parameters_from_metadata_are_bounded():
    assert keys.Scrypt.from_json({"name": "scrypt", "n": 2**14, "r": 8, "p": 1}) == keys.Scrypt(n=2**14)
    for bad in ({"name": "scrypt", "n": 2**30, "r": 8, "p": 1}, {"name": "scrypt", "n": 1000, "r": 8, "p": 1},
                {"name": "argon2", "n": 2**14, "r": 8, "p": 1}, {"name": "scrypt"}):
        with pytest.raises(StoreError):
            keys.Scrypt.from_json(bad)


def test_insecure_backends_are_recognised(memory_keyring):
    assert not keys.backend_is_secure(keyring.backends.fail.Keyring())
    assert not keys.backend_is_secure(keyring.backends.null.Keyring())

    class PlaintextKeyring(type(memory_keyring)):
        pass

    assert not keys.backend_is_secure(PlaintextKeyring())
    assert keys.backend_is_secure(memory_keyring)

    class Chain:
        backends = [keyring.backends.fail.Keyring(), memory_keyring]

    assert keys.backend_is_secure(Chain())
    Chain.backends = [keyring.backends.fail.Keyring()]
    assert not keys.backend_is_secure(Chain())


def test_passphrase_fd_reads_one_line_once():
    read_end, write_end = os.pipe()
    os.write(write_end, "from a pipe\r\nsecond line\n".encode())  # writer keeps the pipe open: must not wait for EOF
    try:
        assert keys.read_passphrase_fd(read_end) == "from a pipe"
        assert keys.read_passphrase_fd(read_end) == "from a pipe"  # remembered, not re-read
    finally:
        os.close(read_end)
        os.close(write_end)
    with pytest.raises(NoPassphrase):
        keys.read_passphrase_fd(987)


def test_passphrase_order_argument_fd_env(monkeypatch):
    monkeypatch.setenv("HUSHWRITE_PASSPHRASE", "from env")
    assert keys.supplied_passphrase("given") == "given"
    assert keys.supplied_passphrase(None) == "from env"
    monkeypatch.delenv("HUSHWRITE_PASSPHRASE")
    assert keys.supplied_passphrase(None) is None
    with pytest.raises(NoPassphrase, match="not interactive"):
        keys.ask_passphrase("Store passphrase: ", new=False, interactive=False, how_to_supply=keys.HOW_TO_SUPPLY)


def test_passphrase_store_salt_is_the_sqlcipher_header(store_env, passphrase):
    with Store.open() as store:
        assert store.key_source == "passphrase"
        salt = store.path.read_bytes()[:16]
        info = json.loads((store_env / "store.db.meta.json").read_text())
    assert keys.key_matches(keys.DEFAULT_KDF.derive(passphrase, salt), info["key_check"])
    assert not any(k in info for k in ("salt", "key"))


def test_real_default_kdf_store_round_trip(store_env, monkeypatch, passphrase):
    monkeypatch.setattr(keys, "DEFAULT_KDF", keys.Scrypt())
    with Store.open() as store:
        store.dict_add("Hushwrite")
    assert json.loads((store_env / "store.db.meta.json").read_text())["kdf"]["n"] == 2**17
    with Store.open() as store:
        assert store.dictionary_words() == ["Hushwrite"]


def test_new_passphrase_must_be_long_enough(store_env):
    with pytest.raises(StoreError, match="at least 8"):
        Store.open(passphrase="short")
    assert not (store_env / "store.db").exists()


def test_keyring_mode_when_backend_is_secure(store_env, monkeypatch, memory_keyring, snapshot):
    monkeypatch.delenv("HUSHWRITE_PASSPHRASE")
    with Store.open() as store:
        assert store.key_source == "keyring"
        store.add_run("rewrite", "in", "out")
        account = store.meta.key.account
    secret = memory_keyring.items[("hushwrite", account)]
    assert len(bytes.fromhex(secret)) == 32
    for name, data in snapshot(store_env).items():
        assert secret.encode() not in data and bytes.fromhex(secret) not in data, name
    with Store.open() as store:
        assert store.counts()["history"] == 1


def test_supplied_passphrase_or_keyring_off_means_passphrase_mode(store_env, monkeypatch, memory_keyring, tmp_path):
    with Store.open() as store:  # HUSHWRITE_PASSPHRASE is set: a portable, passphrase store
        assert store.key_source == "passphrase"
    monkeypatch.delenv("HUSHWRITE_PASSPHRASE")
    monkeypatch.setenv("HUSHWRITE_KEYRING", "off")
    with pytest.raises(NoPassphrase, match="no secure system keyring"):
        Store.open(tmp_path / "other", interactive=False)
    assert memory_keyring.items == {}


def test_no_passphrase_non_interactive_fails_fast_exit_2(store_env, child, child_env, tmp_path):
    env = child_env(HUSHWRITE_DATA_DIR=str(tmp_path / "fresh"))
    env.pop("HUSHWRITE_PASSPHRASE")
    started = time.perf_counter()
    result = child("cli.py", "dict", "list", env=env, timeout=30)
    assert time.perf_counter() - started < 20
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("hushwrite: ") and "HUSHWRITE_PASSPHRASE" in result.stderr
    assert "Traceback" not in result.stderr
