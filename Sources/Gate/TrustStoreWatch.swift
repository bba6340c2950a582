import AuditLog
import ConsentRecords
import Diagnostics
import Foundation
import Signing
import Synchronization

/// What the trust store file says now, compared with the store a long-running process (`serve`) opened with.
public enum TrustStoreFileState: Sendable {
    /// The file says what it said when the installation was opened (it may have been re-saved unchanged).
    case unchanged
    /// The file now differs from the store in force: these key events (as `recordTrustStoreChanges` would log them:
    /// keys trusted, revoked, changed, removed) count for this process only after a restart.
    case changed([KeyEventRecord])
    /// The file can no longer be loaded (being edited, or damaged): a restart would fail with this error.
    case unreadable(any Error)
}

/// Watches the trust store file of an open installation, so that a long-running process can say that the store in
/// force is no longer what the file says, and does not sign with a key the file has since revoked or removed.
///
/// Why: `serve` loads the trust store once, at its start. An administrator who revokes a key (its `revoked-at` in the
/// file) or adds a successor (`consentgate keys generate`) while the service runs must restart it for the change to
/// count, and the documentation says so. This makes a forgotten restart visible (a warning in the service's log, a
/// gauge in `/metrics`), and the one change that must not wait for it — a key revoked because it was compromised — takes
/// effect for signing at once (`refusalToSign`). Cheap when nothing changed: one `stat` of the file, at most once a
/// second on the signing path; the file is read and compared again only when its size, time, inode or device changed.
final class TrustStoreWatch: Sendable {
    /// One look at the file: its stamp, when it was taken, the store it holds (nil: unreadable), and the comparison.
    private struct Look: Sendable {
        var stamp: FileIdentity?
        var at: ContinuousClock.Instant
        var store: TrustStore?
        var state: TrustStoreFileState
    }

    private let file: String
    private let demoMode: Bool
    /// The store in force, as `keyEvents` compares: roles and state by kid.
    private let inForce: [String: (roles: [String], state: String)]
    /// The last look (none yet: the first reads the file, so a change made between loading the store and creating the
    /// watch counts).
    private let last = Mutex<Look?>(nil)

    /// A watch of `file`, whose store in force (loaded at open) is `store`.
    init(file: String, demoMode: Bool, store: TrustStore) {
        self.file = file
        self.demoMode = demoMode
        var inForce: [String: (roles: [String], state: String)] = [:]
        for key in store.entries { inForce[key.kid] = (roles: key.roles.map(\.rawValue).sorted(), state: Gate.trustState(key)) }
        self.inForce = inForce
    }

    /// What the file says now against the store in force.
    func state() -> TrustStoreFileState { look(notOlderThan: .zero).state }

    /// Why the file, as it reads now (looked at within the last second), no longer lets `kid` sign for `role` at `time`
    /// although the store in force does: revoked, removed, its role or validity changed. Nil when the file is in step,
    /// allows it, or cannot be loaded (then the store in force stands, and the log says why the file cannot be read).
    func refusalToSign(kid: String, role: KeyRole, at time: Date) -> LocalizedText? {
        let look = look(notOlderThan: .seconds(1))
        guard case .changed = look.state, let store = look.store else { return nil }
        guard let entry = store.entries.first(where: { $0.kid == kid }) else {
            return LocalizedText(de: "seit dem Start dieses Dienstes aus der Trust-Store-Datei \(file) entfernt; erst ein Neustart übernimmt die Datei",
                                 en: "removed from the trust store file \(file) since this service started; a restart applies the file")
        }
        guard let reason = entry.refusal(role: role, at: time, demoMode: store.demoMode) else { return nil }
        return LocalizedText(de: "laut Trust-Store-Datei \(file), seit dem Start dieses Dienstes geändert: \(reason.de); erst ein Neustart übernimmt die Datei",
                             en: "by the trust store file \(file), changed since this service started: \(reason.en); a restart applies the file")
    }

    /// Whether the trust store file, as it reads now (looked at within the last second), revoked or removed `kid`, if it
    /// has changed since the start; nil when the file is in step, does neither, or cannot be loaded. Consent verification
    /// asks this on every check, so that a revocation counts at once for accepting signatures too, not only for making
    /// them (found in a key review: `serve` kept releasing data on a revoked key's consents until a restart, while the
    /// command line on the same database withheld it).
    ///
    /// A key of the store in force that the file no longer lists is `removed`: not trusted any more, as after a restart
    /// (found in a consent review: removing a compromised key's entry did not stop `serve` from releasing data on its
    /// consents, while every command on the same database refused them).
    func keyInFile(kid: String) -> KeyInFile? {
        let look = look(notOlderThan: .seconds(1))
        guard case .changed = look.state, let store = look.store else { return nil }
        guard let entry = store.entries.first(where: { $0.kid == kid }) else {
            return inForce[kid] == nil ? nil : .removed
        }
        return entry.revokedAt.map { KeyInFile.revoked($0) }
    }

    /// The store the file holds as it reads now (looked at within the last second), nil when it cannot be loaded.
    func currentStore() -> TrustStore? { look(notOlderThan: .seconds(1)).store }

    /// The last look if it is younger than `maxAge` or the file's stamp has not changed since; else a new one.
    private func look(notOlderThan maxAge: Duration) -> Look {
        let now = ContinuousClock.now
        let previous = last.withLock { $0 }
        if let previous, maxAge > .zero, now - previous.at < maxAge { return previous }
        let stamp = FileIdentity(path: file)
        if var previous, let stamp, previous.stamp == stamp {
            previous.at = now
            last.withLock { $0 = previous }
            return previous
        }
        let look: Look
        do {
            let store = try TrustStore.load(file: file, demoMode: demoMode)
            let events = Gate.keyEvents(current: store.entries, recorded: inForce)
            look = Look(stamp: stamp, at: now, store: store, state: events.isEmpty ? .unchanged : .changed(events))
        } catch {
            look = Look(stamp: stamp, at: now, store: nil, state: .unreadable(error))
        }
        last.withLock { $0 = look }
        return look
    }
}

extension Gate {
    /// Whether the trust store file still says what this installation opened with (see `TrustStoreWatch`). For a
    /// long-running `serve`: a change counts for it only after a restart, except that a key the file has revoked or
    /// removed no longer signs (`fileRefusal`: the next key of the store in force signs instead).
    public func trustStoreFileState() -> TrustStoreFileState { trustStoreWatch.state() }

    /// Why the trust store file, changed since the start, no longer lets a key sign for `role` at `time`
    /// (`TrustStoreWatch.refusalToSign`), as a refusal for the key ring's choice: a key the file revoked or removed is
    /// passed over, and the next key of the store in force that the file still allows signs (before, the service
    /// refused to sign until a restart although a successor was in the store).
    func fileRefusal(role: KeyRole, at time: Date) -> (TrustedKey) -> LocalizedText? {
        { [trustStoreWatch] entry in trustStoreWatch.refusalToSign(kid: entry.kid, role: role, at: time) }
    }
}
