import AuditLog
import Diagnostics
import Foundation
import GRDB
import Signing
import StoreDiagnostics

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
        let recorded = try Self.trustRecord(in: database.writer)
        let current = trustStore.entries
        let events = Self.keyEvents(current: current, recorded: recorded)
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
        } catch { throw StorageError.wrapping(error, operation: .init(de: "Vertrauensspeicher als protokolliert kennzeichnen", en: "mark trust store recorded")) }
    }

    /// The `key-event`s the next open of the installation whose database holds `log`, with `store` as its trust store would log (what
    /// `recordTrustStoreChanges` logs): the store's changes since the database last recorded it, in that order (keys
    /// newly trusted, revoked or changed, in the store's order; then removed ones, by kid). Empty when the log is up to
    /// date. Reads only; for `audit verify`, which reports them as information: a key added to the trust store is
    /// trusted from the moment the file says so, but the log shows it only once an installation has been opened with it.
    public static func unrecordedTrustChanges(_ store: TrustStore, in log: AuditLogStore) throws -> [KeyEventRecord] {
        keyEvents(current: store.entries, recorded: try trustRecord(in: log.writer))
    }

    /// The trust store as last recorded (`trust_recorded`): roles and state by kid.
    private static func trustRecord(in writer: any DatabaseWriter) throws -> [String: (roles: [String], state: String)] {
        do {
            return try writer.read { db in
                var out: [String: (roles: [String], state: String)] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT kid, roles, state FROM trust_recorded") {
                    let r = StoredRow(row, table: "trust_recorded", keyIndex: 0)
                    out[try r.value(at: 0)] = (roles: (try r.value(at: 1, as: String.self)).split(separator: ",").map(String.init), state: try r.value(at: 2))
                }
                return out
            }
        } catch { throw StorageError.wrapping(error, operation: .init(de: "gespeicherten Vertrauensspeicher lesen", en: "read recorded trust store")) }
    }

    /// The `key-event`s that take the trust store from `recorded` to `current`.
    static func keyEvents(current: [TrustedKey], recorded: [String: (roles: [String], state: String)]) -> [KeyEventRecord] {
        var events: [KeyEventRecord] = []
        for key in current {
            let roles = key.roles.map(\.rawValue).sorted()
            let state = trustState(key)
            // `reason` is the key's state after the event, so the log alone tells the store's state at any point
            // (`TrustRecordCheck` replays it).
            guard let before = recorded[key.kid] else {
                events.append(KeyEventRecord(event: "trusted", kid: key.kid, roles: roles, reason: state))
                continue
            }
            guard before.state != state else { continue }
            let revoked = key.revokedAt != nil && !before.state.contains("revoked-at=")
            events.append(KeyEventRecord(event: revoked ? "revoked" : "changed", kid: key.kid, roles: roles, reason: state))
        }
        let kids = Set(current.map(\.kid))
        for (kid, before) in recorded.sorted(by: { $0.key < $1.key }) where !kids.contains(kid) {
            events.append(KeyEventRecord(event: "removed", kid: kid, roles: before.roles, reason: before.state))
        }
        return events
    }

    /// What about a trusted key decides which signatures count: roles, validity window, revocation, demo flag
    /// (e.g. `roles=consent-signer not-before=2026-01-01T00:00:00Z not-after=2028-01-01T00:00:00Z`).
    /// Times in whole seconds: a fraction does not survive saving and loading the store exactly (it may come back
    /// a millisecond off), and a re-saved store is no change of trust.
    static func trustState(_ key: TrustedKey) -> String {
        func time(_ d: Date) -> String { RFC3339.format(Date(timeIntervalSince1970: d.timeIntervalSince1970.rounded(.down))) }
        var parts = ["roles=" + key.roles.map(\.rawValue).sorted().joined(separator: ","),
                     "not-before=" + time(key.notBefore), "not-after=" + time(key.notAfter)]
        if let revokedAt = key.revokedAt { parts.append("revoked-at=" + time(revokedAt)) }
        if key.demo { parts.append("demo") }
        return parts.joined(separator: " ")
    }
}
