import Foundation

/// Writes a trust store as YAML in a fixed layout (the one `TrustStoreReader` reads and `docs/keys.md` shows).
enum TrustStoreWriter {
    static func yaml(for store: TrustStore) -> String {
        var out = """
        # ConsentGate trust store (CONTRACTS §2; format: docs/keys.md). Paths are relative to this file.
        # A signature counts only if its key had the role and was valid (not revoked) at signing time.
        version: \(TrustStore.formatVersion)

        """
        let entries = store.entries
        if entries.isEmpty { return out + "keys: []\n" }
        out += "keys:\n"
        for key in entries {
            out += "  - kid: \(quote(key.kid))\n"
            out += "    name: \(quote(key.name))\n"
            out += "    algorithm: \(key.algorithm.rawValue)\n"
            out += "    public-key: \(quote(key.publicKeyFile))\n"
            if let p = key.privateKeyFile { out += "    private-key: \(quote(p))\n" }
            let roles = KeyRole.allCases.filter { key.roles.contains($0) }.map(\.rawValue).joined(separator: ", ")
            out += "    roles: [\(roles)]\n"
            out += "    not-before: \(quote(RFC3339.format(key.notBefore)))\n"
            out += "    not-after: \(quote(RFC3339.format(key.notAfter)))\n"
            if let r = key.revokedAt { out += "    revoked-at: \(quote(RFC3339.format(r)))\n" }
            out += "    demo: \(key.demo)\n"
        }
        return out
    }

    /// A YAML double-quoted scalar: JSON string escaping (valid YAML), and `\uXXXX` also for what YAML does not take
    /// literally although JSON does: DEL and the C1 controls (U+007F–U+009F; NEL, U+0085, would read as a line break),
    /// the line and paragraph separators (U+2028, U+2029), the byte order mark (U+FEFF) and the noncharacters U+FFFE and
    /// U+FFFF (outside YAML's printable set; every other scalar a Swift string holds is inside it or escaped by JSON). Found in a key review: a
    /// `keys generate --name` with DEL wrote a trust store no command could read again, and one with NEL came back as
    /// a space.
    static func quote(_ s: String) -> String {
        var out = ""
        for scalar in JWKThumbprint.quote(s).unicodeScalars {
            if (0x7F...0x9F).contains(scalar.value) || [0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF].contains(scalar.value) {
                out += "\\u" + String(format: "%04X", scalar.value)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
