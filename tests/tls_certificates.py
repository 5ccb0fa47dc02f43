"""Test certificates made in-process with `cryptography`: no openssl command needed, so the
TLS tests always run (never skip)."""

from __future__ import annotations

import datetime
import ipaddress
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

LOOPBACK_NAMES = x509.SubjectAlternativeName([
    x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")])


def _write_key(key: ec.EllipticCurvePrivateKey, path: Path) -> Path:
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                       serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return path


def _certificate(subject: str, key: ec.EllipticCurvePrivateKey, *, ca: bool,
                 issuer: x509.Certificate | None = None,
                 issuer_key: ec.EllipticCurvePrivateKey | None = None) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    builder = (x509.CertificateBuilder()
               .subject_name(name)
               .issuer_name(issuer.subject if issuer is not None else name)
               .public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(minutes=5))
               .not_valid_after(now + datetime.timedelta(days=2))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if not ca or issuer is None:  # a leaf, or a self-signed certificate serving itself
        builder = builder.add_extension(LOOPBACK_NAMES, critical=False)
    return builder.sign(issuer_key or key, hashes.SHA256())


def _write_certificate(certificate: x509.Certificate, path: Path) -> Path:
    path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return path


def self_signed(folder: Path, name: str) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost, and its key (PEM files)."""
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = _certificate(name, key, ca=True)
    return (_write_certificate(certificate, folder / f"{name}.crt"),
            _write_key(key, folder / f"{name}.key"))


def ca_and_certificate(folder: Path) -> dict[str, str]:
    """A CA, and one certificate for 127.0.0.1 signed by it, with its key: the paths of
    ca.pem, cert.pem and key.pem."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _certificate("loadgui test CA", ca_key, ca=True)
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = _certificate("127.0.0.1", key, ca=False, issuer=ca, issuer_key=ca_key)
    paths = {"ca": _write_certificate(ca, folder / "ca.pem"),
             "cert": _write_certificate(leaf, folder / "cert.pem"),
             "key": _write_key(key, folder / "key.pem")}
    return {name: str(path) for name, path in paths.items()}
