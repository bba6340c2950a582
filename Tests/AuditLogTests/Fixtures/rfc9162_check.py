#!/usr/bin/env python3
"""Independent RFC 9162 checker for ConsentGate's Merkle proofs (hashlib only).

Reads a JSON document {"leaves": [hex...], "cases": [...]} from the file given as argv[1].
Each case is {"type": "root", "size", "root"} or {"type": "inclusion", "leaf-index", "tree-size",
"root-hash", "hashes"} or {"type": "consistency", "tree-size-1", "tree-size-2", "root-hash-1",
"root-hash-2", "hashes"} (hashes base64, as `consentgate audit prove/consistency` print them).
Roots are recomputed here from the leaves by the RFC's recursive definition (MTH), and proofs are
checked with the RFC's verification algorithms (§2.1.3.2, §2.1.4.2), written from the RFC text.
Prints "OK <n> checks" or the first failure and exits 1.
"""
import base64, hashlib, json, sys

def leaf_hash(b): return hashlib.sha256(b"\x00" + b).digest()
def node_hash(l, r): return hashlib.sha256(b"\x01" + l + r).digest()

def mth(leaves):
    n = len(leaves)
    if n == 0: return hashlib.sha256(b"").digest()
    if n == 1: return leaf_hash(leaves[0])
    k = 1
    while k * 2 < n: k *= 2
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))

def verify_inclusion(index, size, lh, path, root):
    if index >= size: return False
    fn, sn, r = index, size - 1, lh
    for p in path:
        if sn == 0: return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not (fn & 1) and fn != 0:
                    fn >>= 1; sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1; sn >>= 1
    return sn == 0 and r == root

def verify_consistency(m, n, r1, r2, path):
    if m == n: return len(path) == 0 and r1 == r2
    if not path: return False
    if m & (m - 1) == 0: path = [r1] + path
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn >>= 1; sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0: return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr); sr = node_hash(c, sr)
            if not fn & 1:
                while not (fn & 1) and fn != 0:
                    fn >>= 1; sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1; sn >>= 1
    return fr == r1 and sr == r2 and sn == 0

def b64(s): return base64.b64decode(s, validate=True)

def main():
    doc = json.load(open(sys.argv[1]))
    leaves = [bytes.fromhex(h) for h in doc["leaves"]]
    n = 0
    for c in doc["cases"]:
        t = c["type"]
        if t == "root":
            ok = mth(leaves[:c["size"]]) == b64(c["root"])
        elif t == "inclusion":
            size, i = c["tree-size"], c["leaf-index"]
            root = mth(leaves[:size])
            ok = b64(c["root-hash"]) == root and verify_inclusion(i, size, leaf_hash(leaves[i]), [b64(h) for h in c["hashes"]], root)
        elif t == "consistency":
            m, s = c["tree-size-1"], c["tree-size-2"]
            r1, r2 = mth(leaves[:m]), mth(leaves[:s])
            ok = b64(c["root-hash-1"]) == r1 and b64(c["root-hash-2"]) == r2 and \
                verify_consistency(m, s, r1, r2, [b64(h) for h in c["hashes"]])
        else:
            ok = False
        if c.get("expect-invalid"): ok = not ok
        if not ok:
            print("FAIL", json.dumps(c)); sys.exit(1)
        n += 1
    print("OK %d checks" % n)

main()
