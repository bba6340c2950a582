#!/usr/bin/env python3
"""Writes the hostile (and a few valid) flattened JWS fixtures for JWSStrictnessTests, with test-only keys.

  python3 forge.py            (from this folder) rewrites ed.pub.pem, p256.pub.pem, the case files and cases.json

Each case is <name>.json. cases.json lists, per case: the key ("ed" or "es"), ConsentGate's verdict
("valid" or "malformed"), a text the error must contain, and the review finding it covers (crypto.md 5-8).
Ed25519 is deterministic, so its cases are reproduced byte for byte; ES256 uses a random nonce, so those
files change on every run (their verdicts do not). The keys are derived from fixed seeds and are for tests only.
"""
import base64, hashlib, json, os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, utils
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

HERE = os.path.dirname(os.path.abspath(__file__))
N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
ED = ed25519.Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"consentgate jws fixture ed25519").digest())
ES = ec.derive_private_key(int.from_bytes(hashlib.sha256(b"consentgate jws fixture p-256").digest(), "big") % N, ec.SECP256R1())


def b64(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def thumbprint(key):
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw) if key is ED else None
    if raw is not None:
        members = {"crv": "Ed25519", "kty": "OKP", "x": b64(raw)}
    else:
        nums = key.public_key().public_numbers()
        members = {"crv": "P-256", "kty": "EC", "x": b64(nums.x.to_bytes(32, "big")), "y": b64(nums.y.to_bytes(32, "big"))}
    return b64(hashlib.sha256(json.dumps(members, sort_keys=True, separators=(",", ":")).encode()).digest())


ED_KID, ES_KID = thumbprint(ED), thumbprint(ES)
TYP = "consentgate-test+json"
PAYLOAD = b'{"hello":"consentgate"}'
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def canon(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


def header(key="ed", **over):
    h = {"alg": "Ed25519", "kid": ED_KID, "typ": TYP} if key == "ed" else {"alg": "ES256", "kid": ES_KID, "typ": TYP}
    h.update(over)
    return canon(h)


def es_raw(data, high_s):
    r, s = utils.decode_dss_signature(ES.sign(data, ec.ECDSA(hashes.SHA256())))
    if (s > N // 2) != high_s:
        s = N - s
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def sign(key, protected_b64, payload_b64, high_s=False):
    data = (protected_b64 + "." + payload_b64).encode()
    return ED.sign(data) if key == "ed" else es_raw(data, high_s)


def noncanonical(text):
    """The same bytes with the last character's lowest unused bit set (needs a length that is not 4k)."""
    assert len(text) % 4 in (2, 3), text
    assert ALPHABET.index(text[-1]) & 1 == 0
    return text[:-1] + ALPHABET[ALPHABET.index(text[-1]) | 1]


CASES = []


def case(name, key, verdict, contains, finding, protected=None, payload=PAYLOAD, outer=None, high_s=False,
         tweak=None, protected_text=None, payload_text=None):
    """Writes one case. `outer(p, pl, s)` builds the outer JSON text when it is not the plain three members;
    `tweak` alters the signature text after signing; protected_text/payload_text replace the base64url text
    that is signed (for non-canonical encodings)."""
    p = protected_text or b64(protected if protected is not None else header(key))
    pl = payload_text or b64(payload)
    s = b64(sign(key, p, pl, high_s))
    if tweak:
        s = tweak(s)
    text = outer(p, pl, s) if outer else json.dumps({"payload": pl, "protected": p, "signature": s})
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        f.write(text)
    CASES.append({"file": name + ".json", "key": key, "verdict": verdict, "contains": contains, "finding": finding})


# Valid documents, including the forms that must stay accepted.
case("00-valid-ed25519", "ed", "valid", "", "baseline")
case("01-valid-eddsa", "ed", "valid", "", "baseline", protected=header(alg="EdDSA"))
case("02-valid-es256-low-s", "es", "valid", "", "8")
case("03-valid-es256-high-s", "es", "valid", "", "8", high_s=True)
case("04-valid-header-spaces-and-order", "ed", "valid", "", "5",
     protected=('{ "typ": "%s", "kid": "%s", "alg": "Ed25519" }' % (TYP, ED_KID)).encode())

# 5: duplicate member names, in the protected header and in the outer object. In the outer cases the last
# value is the signed one, so a reader that lets the last value win (JSONSerialization) would verify them.
hdr = lambda *members: ("{" + ",".join('"%s":"%s"' % m for m in members) + "}").encode()
case("10-dup-typ-in-header-other-first", "ed", "malformed", 'duplicate member "typ"', "5",
     protected=hdr(("alg", "Ed25519"), ("kid", ED_KID), ("typ", "consentgate-withdrawal+json"), ("typ", TYP)))
case("11-dup-typ-in-header-other-last", "ed", "malformed", 'duplicate member "typ"', "5",
     protected=hdr(("alg", "Ed25519"), ("kid", ED_KID), ("typ", TYP), ("typ", "consentgate-withdrawal+json")))
case("12-dup-alg-in-header", "ed", "malformed", 'duplicate member "alg"', "5",
     protected=hdr(("alg", "none"), ("alg", "Ed25519"), ("kid", ED_KID), ("typ", TYP)))
case("13-dup-kid-in-header", "ed", "malformed", 'duplicate member "kid"', "5",
     protected=hdr(("alg", "Ed25519"), ("kid", "AAAA"), ("kid", ED_KID), ("typ", TYP)))
OTHER = b64(b'{"hello":"unsigned"}')
case("14-dup-payload-outer", "ed", "malformed", 'the JWS object has a duplicate member "payload"', "5",
     outer=lambda p, pl, s: '{"payload":"%s","protected":"%s","signature":"%s","payload":"%s"}' % (OTHER, p, s, pl))
case("15-dup-signature-outer", "ed", "malformed", 'the JWS object has a duplicate member "signature"', "5",
     outer=lambda p, pl, s: '{"signature":"AAAA","payload":"%s","protected":"%s","signature":"%s"}' % (pl, p, s))
case("16-dup-protected-outer", "ed", "malformed", 'the JWS object has a duplicate member "protected"', "5",
     outer=lambda p, pl, s: '{"protected":"%s","payload":"%s","signature":"%s","protected":"%s"}' % (b64(header(typ="x")), pl, s, p))

# 6: b64, crit and every other parameter outside the allow-list (alg, kid, typ).
case("20-b64-false-without-crit", "ed", "malformed", '"b64"', "6", protected=header(b64=False))
case("21-b64-true-without-crit", "ed", "malformed", '"b64"', "6", protected=header(b64=True))
case("22-crit-b64", "ed", "malformed", '"crit"', "6", protected=header(b64=False, crit=["b64"]))
case("23-unknown-jku-x5u", "ed", "malformed", "unsupported protected header parameter(s) jku, x5u", "6",
     protected=header(jku="https://evil.example/jwks", x5u="https://evil.example/c"))
case("24-unknown-cty", "ed", "malformed", "unsupported protected header parameter(s) cty", "6", protected=header(cty="json"))
case("25-unknown-embedded-jwk", "ed", "malformed", "unsupported protected header parameter(s) jwk", "6",
     protected=header(jwk={"kty": "OKP", "crv": "Ed25519", "x": b64(ED.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))}))
case("26-kid-null", "ed", "malformed", '"kid" in the protected header must be a string, not null', "6", protected=header(kid=None))
case("27-typ-number", "ed", "malformed", '"typ" in the protected header must be a string, not integer', "6", protected=header(typ=1))

# 7: base64url that decodes but is not the canonical encoding, and other non-base64url text.
case("30-signature-noncanonical-ed25519", "ed", "malformed", '"signature" is not canonical base64url', "7", tweak=noncanonical)
case("31-signature-noncanonical-es256", "es", "malformed", '"signature" is not canonical base64url', "7", tweak=noncanonical)
PROT = header() + b" " * ((-len(header()) + 1) % 3)   # trailing white space, so the text has unused bits
case("32-protected-noncanonical", "ed", "malformed", '"protected" is not canonical base64url', "7",
     protected_text=noncanonical(b64(PROT)))
case("33-payload-noncanonical", "ed", "malformed", '"payload" is not canonical base64url', "7",
     payload_text=noncanonical(b64(PAYLOAD)))
case("34-signature-padded", "ed", "malformed", '"signature" is not base64url', "7", tweak=lambda s: s + "==")
case("35-signature-standard-alphabet", "ed", "malformed", '"signature" is not base64url', "7",
     tweak=lambda s: s.replace("-", "+").replace("_", "/") if ("-" in s or "_" in s) else "+" + s[1:])
case("36-signature-line-break", "ed", "malformed", '"signature" is not base64url', "7", tweak=lambda s: s[:40] + "\n" + s[40:])

for name, key in (("ed.pub.pem", ED), ("p256.pub.pem", ES)):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo))
with open(os.path.join(HERE, "cases.json"), "w") as f:
    f.write("[\n" + ",\n".join("  " + json.dumps(c) for c in CASES) + "\n]\n")
print(f"{len(CASES)} cases; ed kid {ED_KID}, es kid {ES_KID}")
