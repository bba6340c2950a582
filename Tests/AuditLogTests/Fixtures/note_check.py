#!/usr/bin/env python3
"""Independent check of a C2SP signed-note checkpoint with the `cryptography` package.

argv[1]: the signed note file; argv[2]: a file of verifier key strings name+hex(keyid)+base64(0x01||pub), one per line
(what `consentgate audit key` prints: every audit-log key of the log, newest first, after a rotation several). As Go's
`note.VerifierList`, each signature line is matched to the key of its name and key id; recomputes each key id from name
and key, verifies the Ed25519 signature over the note text with the matching key. A signature by a listed key that does
not verify fails the check. Prints "OK <origin> <size>" or the failure and exits 1.
"""
import base64, hashlib, sys
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

note = open(sys.argv[1], "rb").read().decode("utf-8")
keys = {}
for line in open(sys.argv[2]).read().split("\n"):
    if not line.strip():
        continue
    name, keyid_hex, key_b64 = line.strip().split("+", 2)
    blob = base64.b64decode(key_b64)
    assert blob[0] == 1 and len(blob) == 33, "not an Ed25519 verifier key"
    pub = blob[1:]
    keyid = hashlib.sha256(name.encode() + b"\n" + b"\x01" + pub).digest()[:4]
    if keyid.hex() != keyid_hex:
        print("FAIL key id", keyid.hex(), "!=", keyid_hex); sys.exit(1)
    keys[(name, keyid)] = pub
if not keys:
    print("FAIL no verifier key"); sys.exit(1)
text, sigs = note.rsplit("\n\n", 1)
text += "\n"
lines = text.split("\n")
origin, size = lines[0], int(lines[1])
ok = False
for line in sigs.rstrip("\n").split("\n"):
    dash, sname, sig_b64 = line.split(" ")
    assert dash == "\u2014"
    raw = base64.b64decode(sig_b64)
    pub = keys.get((sname, raw[:4]))
    if pub is not None:
        Ed25519PublicKey.from_public_bytes(pub).verify(raw[4:], text.encode("utf-8"))
        ok = True
if not ok or origin not in {name for name, _ in keys}:
    print("FAIL no matching signature"); sys.exit(1)
print("OK", origin, size)
