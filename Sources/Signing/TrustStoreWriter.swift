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

    /// A YAML double-quoted scalar (JSON string escaping is valid YAML).
    private static func quote(_ s: String) -> String { JWKThumbprint.quote(s) }
}
