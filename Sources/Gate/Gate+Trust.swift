import AuditLog
import Foundation
import GRDB
import Signing

extension Gate {
    /// Records a `key-event` for every change of the trust store since the last one recorded: a key newly
    /// trusted, revoked, changed (roles, validity, demo flag) or removed.
    ///
    /// Why: the trust store is a file next to the database. Whoever adds a `consent-signer` key to it can sign
    /// consents this installation accepts, and a revocation decides which signatures still count; a data
    /// protection officer must be able to see from the log when the keys changed, as with the policy
    /// (`policy-loaded`). Logged first, marked recorded after, under the `InstallationLock` like the policy: a
    /// crash in between logs the change again on the next open rather than never.
    func recordTrustStoreChanges(actor: Actor) throws {
        let recorded: [String: (roles: [String], state: String)]
        do {
            recorded = try database.writer.read { db in
                var out: [String: (roles: [String], state: String)] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT kid, roles, state FROM trust_recorded") {
                    out[row[0]] = (roles: (row[1] as String).split(separator: ",").map(String.init), state: row[2])
                }
                return out
            }
        } catch { throw StorageError.failed(operation: "read recorded trust store", reason: String(describing: error)) }
        let current = trustStore.entries
        var events: [KeyEventRecord] = []
        for key in current {
            let roles = key.roles.map(\.rawValue).sorted()
            let state = Self.trustState(key)
            guard let before = recorded[key.kid] else {
                events.append(KeyEventRecord(event: "trusted", kid: key.kid, roles: roles, reason: state))
                continue
            }
            guard before.state != state else { continue }
            if let revokedAt = key.revokedAt, !before.state.contains("revoked-at=") {
                events.append(KeyEventRecord(event: "revoked", kid: key.kid, roles: roles, reason: "revoked-at=" + RFC3339.format(revokedAt)))
            } else {
                events.append(KeyEventRecord(event: "changed", kid: key.kid, roles: roles, reason: "was: \(before.state); now: \(state)"))
            }
        }
        let kids = Set(current.map(\.kid))
        for (kid, before) in recorded.sorted(by: { $0.key < $1.key }) where !kids.contains(kid) {
            events.append(KeyEventRecord(event: "removed", kid: kid, roles: before.roles, reason: "was: \(before.state)"))
        }
        guard !events.isEmpty else { return }
        let now = Date()
        try record(events.map { AuditEntry(time: now, actor: actor.id, municipality: actor.municipality, policyDigest: policy.digest,
                                           content: .keyEvent($0)) })
        do {
            try database.writer.write { db in
                try db.execute(sql: "DELETE FROM trust_recorded")
                for key in current {
                    try db.execute(sql: "INSERT INTO trust_recorded (kid, roles, state) VALUES (?, ?, ?)",
                                   arguments: [key.kid, key.roles.map(\.rawValue).sorted().joined(separator: ","), Self.trustState(key)])
                }
            }
        } catch { throw StorageError.failed(operation: "mark trust store recorded", reason: String(describing: error)) }
    }

    /// What about a trusted key decides which signatures count: roles, validity window, revocation, demo flag.
    static func trustState(_ key: TrustedKey) -> String {
        var parts = ["roles=" + key.roles.map(\.rawValue).sorted().joined(separator: ","),
                     "not-before=" + RFC3339.format(key.notBefore), "not-after=" + RFC3339.format(key.notAfter)]
        if let revokedAt = key.revokedAt { parts.append("revoked-at=" + RFC3339.format(revokedAt)) }
        if key.demo { parts.append("demo") }
        return parts.joined(separator: " ")
    }
}
