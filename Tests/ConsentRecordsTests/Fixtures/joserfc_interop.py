#!/usr/bin/env python3
"""Independent JOSE implementation (Python joserfc) for ConsentGate's consent interop tests.

verify --public PUB.pem --jws FILE --alg ALG
    Verifies a flattened JWS with the SPKI public key; prints {"header": ..., "payload": ...} as JSON
    on stdout and exits 0, or prints the reason on stderr and exits 1.
sign --alg Ed25519|ES256 --payload FILE --typ TYP --out-jws FILE --out-public FILE
    Generates a fresh key with joserfc, signs the payload bytes as a flattened JWS with protected header
    {alg, kid = RFC 7638 thumbprint computed by joserfc, typ}, writes the JWS and the public key (SPKI PEM).
"""
import argparse
import json
import sys
import warnings

from joserfc import jws
from joserfc.jwk import ECKey, OKPKey

warnings.simplefilter("ignore")  # joserfc warns that EdDSA is deprecated (RFC 9864); irrelevant here


def key_class(alg):
    return ECKey if alg == "ES256" else OKPKey


def verify(args):
    with open(args.public, "rb") as f:
        key = key_class(args.alg).import_key(f.read())
    with open(args.jws, "rb") as f:
        value = json.loads(f.read())
    try:
        result = jws.deserialize_json(value, key, algorithms=[args.alg])
    except Exception as e:  # any failure is a verification failure
        print(f"joserfc: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    json.dump({"header": result.headers(), "payload": json.loads(result.payload)}, sys.stdout, sort_keys=True)
    return 0


def sign(args):
    key = ECKey.generate_key("P-256") if args.alg == "ES256" else OKPKey.generate_key("Ed25519")
    with open(args.payload, "rb") as f:
        payload = f.read()
    header = {"alg": args.alg, "kid": key.thumbprint(), "typ": args.typ}
    value = jws.serialize_json({"protected": header}, payload, key, algorithms=[args.alg])
    with open(args.out_jws, "w") as f:
        json.dump(value, f)
    with open(args.out_public, "wb") as f:
        f.write(key.as_pem(private=False))
    return 0


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="command", required=True)
    v = sub.add_parser("verify")
    v.add_argument("--public", required=True)
    v.add_argument("--jws", required=True)
    v.add_argument("--alg", required=True, choices=["Ed25519", "EdDSA", "ES256"])
    s = sub.add_parser("sign")
    s.add_argument("--alg", required=True, choices=["Ed25519", "EdDSA", "ES256"])
    s.add_argument("--payload", required=True)
    s.add_argument("--typ", required=True)
    s.add_argument("--out-jws", required=True)
    s.add_argument("--out-public", required=True)
    args = p.parse_args()
    return verify(args) if args.command == "verify" else sign(args)


if __name__ == "__main__":
    sys.exit(main())
