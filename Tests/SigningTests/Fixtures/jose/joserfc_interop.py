#!/usr/bin/env python3
"""Independent JOSE implementation (joserfc) for ConsentGate's interop tests.

  sign ALG            -> prints {"jwk": <public JWK>, "jws": <flattened JSON JWS>} for a fresh key
                         (ALG: Ed25519 or ES256), payload {"hello":"consentgate"}, typ consentgate-test+json
  verify JWK_FILE JWS_FILE -> exit 0 and prints the payload when the JWS verifies with the public JWK,
                         exit 1 otherwise
  inspect JWK_FILE JWS_FILE... -> one JSON line per file: {"file", "ok", "error", "alg", "kid", "typ", "payload"}
                         (what joserfc reads from each JWS that verifies with the public JWK), exit 0
"""
import json
import sys

from joserfc import jws
from joserfc.jwk import ECKey, OKPKey, import_key
from joserfc.jws import JWSRegistry

REGISTRY = JWSRegistry(algorithms=["Ed25519", "EdDSA", "ES256"])


def sign(alg):
    key = OKPKey.generate_key("Ed25519") if alg == "Ed25519" else ECKey.generate_key("P-256")
    payload = b'{"hello":"consentgate"}'
    header = {"alg": alg, "typ": "consentgate-test+json", "kid": key.thumbprint()}
    member = {"protected": header}
    serialized = jws.serialize_json(member, payload, key, registry=REGISTRY)
    print(json.dumps({"jwk": key.as_dict(private=False), "jws": serialized}))


def verify(jwk_file, jws_file):
    with open(jwk_file) as f:
        key = import_key(json.load(f))
    with open(jws_file) as f:
        data = json.load(f)
    try:
        obj = jws.deserialize_json(data, key, registry=REGISTRY)
    except Exception as e:  # joserfc raises BadSignatureError and friends
        print(f"not verified: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(1)
    print(obj.payload.decode())


def inspect(jwk_file, jws_files):
    with open(jwk_file) as f:
        key = import_key(json.load(f))
    for name in jws_files:
        line = {"file": name, "ok": False}
        try:
            with open(name) as f:
                obj = jws.deserialize_json(json.load(f), key, registry=REGISTRY)
            headers = obj.headers()
            line.update(ok=True, alg=headers.get("alg"), kid=headers.get("kid"), typ=headers.get("typ"),
                        payload=obj.payload.decode())
        except Exception as e:  # a refusal is a result here, not a failure of the script
            line["error"] = type(e).__name__
        print(json.dumps(line))


if __name__ == "__main__":
    if sys.argv[1] == "sign":
        sign(sys.argv[2])
    elif sys.argv[1] == "verify":
        verify(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "inspect":
        inspect(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(2)
