import AuditLog
import Diagnostics
import GRDB
import StoreDiagnostics

/// Checks the trust store as last recorded (`trust_recorded`) against the `key-event` entries of the log.
///
/// Why: each open of the installation logs how the trust store changed since the state in `trust_recorded`
/// (`Gate.recordTrustStoreChanges`). That table is a plain row set: someone who adds a `consent-signer` key to
/// `keys/trust.yaml` and the same key to the table is never logged, and consents signed with that key are
/// accepted. Every `key-event` carries the key's state after it, so replaying them in log order gives the state
/// the table must hold.
///
/// A run killed between logging the events and updating the table leaves them apart until the next open, which
/// logs the change again and updates the table: that open ends the finding.
enum TrustRecordCheck {
    /// The first key (by kid) whose recorded state differs from the log's, or nil. `logged`: the log's entries in
    /// index order, at least every `key-event`.
    static func problem(in db: Database, logged: [StoredEntry]) throws -> TrustRecordFinding? {
        var fromLog: [String: String] = [:]
        for stored in logged {
            guard case let .keyEvent(e) = stored.entry.content else { continue }
            if e.event == "removed" { fromLog[e.kid] = nil } else { fromLog[e.kid] = e.reason ?? "" }
        }
        var recorded: [String: String] = [:]
        var rolesApart: [(kid: String, roles: String)] = []
        for row in try Row.fetchAll(db, sql: "SELECT kid, roles, state FROM trust_recorded") {
            let r = StoredRow(row, table: "trust_recorded", keyIndex: 0)
            let (kid, roles, state): (String, String, String) = (try r.value(at: 0), try r.value(at: 1), try r.value(at: 2))
            recorded[kid] = state
            // The roles column says what a later `removed` event names: it must be the roles of the state.
            if state.split(separator: " ").first.map(String.init) != "roles=" + roles { rolesApart.append((kid, roles)) }
        }
        let kid = Set(fromLog.keys).union(recorded.keys).sorted().first { fromLog[$0] != recorded[$0] }
        if let kid { return .recordChanged(kid: kid, logged: fromLog[kid], recorded: recorded[kid]) }
        return rolesApart.min { $0.kid < $1.kid }.map { .rolesChanged(kid: $0.kid, roles: $0.roles, state: recorded[$0.kid] ?? "") }
    }
}

/// The trust store's record differs from the log's `key-event` entries (exit 4).
public enum TrustRecordFinding: UserFacingError, Equatable {
    /// Key `kid` is recorded as `recorded` (nil: not at all), while the log's events leave it `logged`.
    case recordChanged(kid: String, logged: String?, recorded: String?)
    /// Key `kid`'s recorded roles column (`roles`) differs from the roles of its recorded (and logged) state.
    case rolesChanged(kid: String, roles: String, state: String)

    /// Always an integrity failure (exit 4): the trust store's record disagrees with the signed log.
    public var category: ProblemCategory { .integrity }

    /// The finding in `language`, naming the key id and both states (or the roles).
    public func message(in language: Language) -> String {
        switch self {
        case let .recordChanged(kid, logged, recorded):
            if language == .de {
                let isRecorded = recorded.map { "ist als „\($0)“ vermerkt" } ?? "ist nicht vermerkt"
                let fromLog = logged.map { "„\($0)“" } ?? "nicht im Trust-Store"
                return "Trust-Store-Buchführung manipuliert oder beschädigt: Schlüssel \(kid) \(isRecorded), laut den key-event-Einträgen des Protokolls aber \(fromLog); eine Änderung des Trust-Stores kann unprotokolliert geblieben sein (nach einem abgebrochenen Start behebt das nächste Öffnen der Installation dies)"
            }
            let isRecorded = recorded.map { "is recorded as \"\($0)\"" } ?? "is not recorded"
            let fromLog = logged.map { "\"\($0)\"" } ?? "not in the trust store"
            return "trust store record tampered with or damaged: key \(kid) \(isRecorded), but the log's key-event entries leave it \(fromLog); a change of the trust store may have gone unlogged (after an interrupted start, the next open of the installation repairs this)"
        case let .rolesChanged(kid, roles, state):
            return language == .de
                ? "Trust-Store-Buchführung manipuliert oder beschädigt: beim Schlüssel \(kid) sind die Rollen als „\(roles)“ vermerkt, sein protokollierter Zustand ist aber „\(state)“; ein späteres Entfernen würde falsche Rollen protokollieren"
                : "trust store record tampered with or damaged: key \(kid) has its roles recorded as \"\(roles)\", but its logged state is \"\(state)\"; a later removal would log the wrong roles"
        }
    }
}
