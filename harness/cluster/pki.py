"""A private CA and serving certificates for Kueue's webhooks on 127.0.0.1; client
certificates for the real node, signed by the cluster's CA.

The apiserver calls Kueue's admission and CRD-conversion webhooks over TLS; the CA bundle
we put into every webhook clientConfig is the one generated here, per cluster.
"""
from __future__ import annotations

import datetime
import ipaddress
import warnings
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.types import (
    CertificateIssuerPrivateKeyTypes,
    CertificatePublicKeyTypes,
)
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

VALID_DAYS = 365


@dataclass(frozen=True)
class KeyPair:
    cert_pem: bytes
    key_pem: bytes


def make_ca(common_name: str = "k8s-skills-webhook-ca") -> KeyPair:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    cert = (_builder(name, name, key.public_key())
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True,
                                         crl_sign=True, content_commitment=False,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, encipher_only=False,
                                         decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    return KeyPair(cert.public_bytes(serialization.Encoding.PEM), _key_pem(key))


def make_serving_cert(ca: KeyPair, hosts: list[str]) -> KeyPair:
    """A server certificate for `hosts` (DNS names and IP addresses) signed by `ca`."""
    ca_cert = x509.load_pem_x509_certificate(ca.cert_pem)
    ca_key = _issuer_key(ca.key_pem)
    key = ec.generate_private_key(ec.SECP256R1())
    sans = [_san(h) for h in hosts]
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hosts[0])])
    cert = (_builder(subject, ca_cert.subject, key.public_key())
            .add_extension(x509.SubjectAlternativeName(sans), critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    return KeyPair(cert.public_bytes(serialization.Encoding.PEM), _key_pem(key))


def make_client_cert(ca: KeyPair, common_name: str, organizations: list[str]) -> KeyPair:
    """A client certificate (the apiserver maps CN to the user, O to its groups)."""
    with warnings.catch_warnings():
        # kwokctl's CA may carry a negative serial number; only its name and key are used.
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        ca_cert = x509.load_pem_x509_certificate(ca.cert_pem)
    ca_key = _issuer_key(ca.key_pem)
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, o)
                         for o in organizations]
                        + [x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    cert = (_builder(subject, ca_cert.subject, key.public_key())
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    return KeyPair(cert.public_bytes(serialization.Encoding.PEM), _key_pem(key))


def write_pair(pair: KeyPair, folder: Path, cert_name: str = "tls.crt",
               key_name: str = "tls.key") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / cert_name).write_bytes(pair.cert_pem)
    key_path = folder / key_name
    key_path.write_bytes(pair.key_pem)
    key_path.chmod(0o600)


def _issuer_key(pem: bytes) -> CertificateIssuerPrivateKeyTypes:
    """A CA's private key, of a type X.509 signing accepts (ours are EC, see make_ca)."""
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, (ec.EllipticCurvePrivateKey, rsa.RSAPrivateKey, dsa.DSAPrivateKey,
                            ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey)):
        raise ValueError(f"a CA key of type {type(key).__name__} cannot sign certificates here")
    return key


def _builder(subject: x509.Name, issuer: x509.Name,
             public_key: CertificatePublicKeyTypes) -> x509.CertificateBuilder:
    now = datetime.datetime.now(datetime.timezone.utc)
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
            .public_key(public_key).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=VALID_DAYS)))


def _san(host: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        return x509.DNSName(host)


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())
