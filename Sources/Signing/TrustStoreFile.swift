import Diagnostics
import Foundation
import Yams

extension TrustStore {
    /// The trust file format version this code reads and writes.
    public static let formatVersion = 1

    /// Loads `file` (YAML, see `docs/keys.md`; at most 1 MiB). A file that cannot be read is `unreadableFile`;
    /// every problem in it is an `invalidTrustStore` error naming the file,
    /// line and column: unknown or missing members, bad dates or roles, a public key file that does not
    /// load, a `kid` that is not the public key's thumbprint, an algorithm that does not match, a duplicate kid.
    public static func load(file: String, demoMode: Bool) throws -> TrustStore {
        let yaml = try FileBytes.readText(file)
        let directory = (file as NSString).deletingLastPathComponent
        var store = TrustStore(keys: [], demoMode: demoMode, directory: directory.isEmpty ? "." : directory)
        store.file = file
        let reader = TrustStoreReader(file: file, store: store)
        for key in try reader.read(yaml) { try store.add(key) }
        store.privateKeyLines = reader.privateKeyLines(yaml)
        return store
    }

    /// Writes the store to `file` atomically (temp file, fsync, rename). Comments in a hand-edited file are
    /// not kept.
    public func save(to file: String) throws {
        try AtomicFile.write(Array(TrustStoreWriter.yaml(for: self).utf8), to: file, mode: 0o644)
    }
}

/// Reads the YAML of a trust file with positions, validating as it goes.
struct TrustStoreReader {
    let file: String
    let store: TrustStore

    private static let topMembers: Set<String> = ["version", "keys"]
    private static let entryMembers: Set<String> = ["kid", "name", "algorithm", "public-key", "private-key", "roles",
                                                    "not-before", "not-after", "revoked-at", "demo"]

    func read(_ yaml: String) throws -> [TrustedKey] {
        if let bad = YAMLForbiddenCharacter.first(in: yaml) {
            throw SigningError.invalidTrustStore(file: file, line: bad.line, column: bad.column, reason: text(bad.reason.en, de: bad.reason.de))
        }
        let root: Node?
        do { root = try Yams.compose(yaml: yaml) } catch let error as YamlError {
            throw yamlError(error)
        }
        guard let root, let top = root.mapping else {
            throw fail(root, "the trust store must be a mapping with `version` and `keys`",
                       de: "der Trust-Store muss eine Zuordnung mit `version` und `keys` sein")
        }
        try checkMembers(top, allowed: Self.topMembers)
        guard let version = top["version"] else {
            throw fail(root, "missing `version: \(TrustStore.formatVersion)`", de: "`version: \(TrustStore.formatVersion)` fehlt")
        }
        guard version.scalar?.string == String(TrustStore.formatVersion) else {
            throw fail(version, "unsupported version \(version.scalar?.string ?? "?") (this ConsentGate reads version \(TrustStore.formatVersion))",
                       de: "nicht unterstützte Version \(version.scalar?.string ?? "?") (diese ConsentGate-Version liest Version \(TrustStore.formatVersion))")
        }
        guard let keysNode = top["keys"] else { return [] }
        if keysNode.null != nil { return [] }
        guard let list = keysNode.sequence else {
            throw fail(keysNode, "`keys` must be a list", de: "`keys` muss eine Liste sein")
        }
        var result: [TrustedKey] = []
        var seen: [String: Int] = [:]
        for item in list {
            let key = try entry(item)
            if let first = seen[key.kid] {
                throw fail(item["kid"], "duplicate kid \(key.kid) (first at line \(first))",
                           de: "doppelte kid \(key.kid) (zuerst in Zeile \(first))")
            }
            seen[key.kid] = item["kid"]?.mark?.line ?? 0
            result.append(key)
        }
        return result
    }

    /// The line of each entry's `private-key:` member, by kid, in `yaml` (which `read` has accepted).
    func privateKeyLines(_ yaml: String) -> [String: Int] {
        guard let list = (try? Yams.compose(yaml: yaml))??.mapping?["keys"]?.sequence else { return [:] }
        var lines: [String: Int] = [:]
        for item in list {
            if let kid = item["kid"]?.scalar?.string, let line = item["private-key"]?.mark?.line { lines[kid] = line }
        }
        return lines
    }

    private func entry(_ node: Node) throws -> TrustedKey {
        guard let map = node.mapping else { throw fail(node, "a key entry must be a mapping", de: "ein Schlüsseleintrag muss eine Zuordnung sein") }
        try checkMembers(map, allowed: Self.entryMembers)
        let kid = try string(map, "kid", in: node)
        let name = try string(map, "name", in: node)
        let algName = try string(map, "algorithm", in: node)
        guard let algorithm = SignatureAlgorithm(userName: algName) else {
            throw fail(map["algorithm"], "unknown algorithm \(algName) (ed25519 or p256)", de: "unbekannter Algorithmus \(algName) (ed25519 oder p256)")
        }
        let publicFile = try string(map, "public-key", in: node)
        let publicKey: PublicKey
        do { publicKey = try PublicKey(file: store.resolve(publicFile)) } catch let error as SigningError {
            throw fail(map["public-key"], "public-key: \(error.message(in: .en))", de: "public-key: \(error.message(in: .de))")
        }
        guard publicKey.algorithm == algorithm else {
            throw fail(map["algorithm"], "algorithm \(algorithm.rawValue) does not match the public key (\(publicKey.algorithm.rawValue))",
                       de: "Algorithmus \(algorithm.rawValue) passt nicht zum öffentlichen Schlüssel (\(publicKey.algorithm.rawValue))")
        }
        guard publicKey.kid == kid else {
            throw fail(map["kid"], "kid \(kid) is not the thumbprint of \(publicFile) (which is \(publicKey.kid))",
                       de: "kid \(kid) ist nicht der Fingerabdruck von \(publicFile) (dieser ist \(publicKey.kid))")
        }
        let privateFile = try map["private-key"].map { try scalar($0, "private-key") }
        let roles = try self.roles(map["roles"], in: node)
        let notBefore = try date(map, "not-before", in: node)
        let notAfter = try date(map, "not-after", in: node)
        guard notBefore < notAfter else {
            throw fail(map["not-after"], "not-after must be later than not-before", de: "not-after muss nach not-before liegen")
        }
        let revokedAt = try map["revoked-at"].map { try parseDate($0, "revoked-at") }
        var demo = false
        if let d = map["demo"] {
            switch d.scalar?.string {
            case "true": demo = true
            case "false": demo = false
            default: throw fail(d, "demo must be true or false", de: "demo muss true oder false sein")
            }
        }
        // A shipped demo key is one whatever the entry says (`ShippedDemoKeys`).
        return TrustedKey(kid: kid, name: name, publicKey: publicKey, publicKeyFile: publicFile, privateKeyFile: privateFile,
                          roles: roles, notBefore: notBefore, notAfter: notAfter, revokedAt: revokedAt,
                          demo: demo || ShippedDemoKeys.kids.contains(kid))
    }

    private func roles(_ node: Node?, in entry: Node) throws -> Set<KeyRole> {
        guard let node else { throw fail(entry, "missing `roles`", de: "`roles` fehlt") }
        guard let list = node.sequence, !list.isEmpty else {
            throw fail(node, "roles must be a non-empty list", de: "roles muss eine nicht leere Liste sein")
        }
        var roles = Set<KeyRole>()
        for item in list {
            let name = try scalar(item, "roles")
            guard let role = KeyRole(rawValue: name) else {
                let known = KeyRole.allCases.map(\.rawValue).joined(separator: ", ")
                throw fail(item, "unknown role \(name) (known: \(known))", de: "unbekannte Rolle \(name) (bekannt: \(known))")
            }
            guard roles.insert(role).inserted else { throw fail(item, "role \(name) listed twice", de: "Rolle \(name) doppelt angegeben") }
        }
        return roles
    }

    private func checkMembers(_ map: Node.Mapping, allowed: Set<String>) throws {
        for key in map.keys {
            guard let name = key.scalar?.string, allowed.contains(name) else {
                let shown = key.scalar?.string ?? "?"
                let list = allowed.sorted().joined(separator: ", ")
                throw fail(key, "unknown member `\(shown)` (allowed: \(list))", de: "unbekanntes Feld `\(shown)` (erlaubt: \(list))")
            }
        }
    }

    private func string(_ map: Node.Mapping, _ name: String, in entry: Node) throws -> String {
        guard let node = map[name] else { throw fail(entry, "missing `\(name)`", de: "`\(name)` fehlt") }
        return try scalar(node, name)
    }

    private func scalar(_ node: Node, _ name: String) throws -> String {
        guard let s = node.scalar?.string, !s.isEmpty else {
            throw fail(node, "`\(name)` must be a non-empty text", de: "`\(name)` muss ein nicht leerer Text sein")
        }
        return s
    }

    private func date(_ map: Node.Mapping, _ name: String, in entry: Node) throws -> Date {
        guard let node = map[name] else { throw fail(entry, "missing `\(name)`", de: "`\(name)` fehlt") }
        return try parseDate(node, name)
    }

    private func parseDate(_ node: Node, _ name: String) throws -> Date {
        let s = try scalar(node, name)
        // RFC 3339 §5.6 allows a lower-case `t` (and `z`), as every other input takes them (a review of dates).
        guard s.uppercased().contains("T"), let d = RFC3339.parse(s) else {
            throw fail(node, "`\(name)` is not an RFC 3339 time like 2026-01-01T00:00:00Z: \(s)",
                       de: "`\(name)` ist keine RFC-3339-Zeit wie 2026-01-01T00:00:00Z: \(s)")
        }
        return d
    }

    private func fail(_ node: Node?, _ en: String, de: String) -> SigningError {
        .invalidTrustStore(file: file, line: node?.mark?.line, column: node?.mark?.column, reason: text(en, de: de))
    }

    private func yamlError(_ error: YamlError) -> SigningError {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return .invalidTrustStore(file: file, line: mark.line, column: mark.column,
                                      reason: text("not valid YAML: \(problem)", de: "kein gültiges YAML: \(YAMLSyntaxWords.problem(problem, in: .de))"))
        default:
            return .invalidTrustStore(file: file, line: nil, column: nil,
                                      reason: text("not valid YAML: \(error)", de: "kein gültiges YAML: \(error)"))
        }
    }
}
