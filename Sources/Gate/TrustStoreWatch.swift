import AuditLog
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
/// force is no longer what the file says.
///
/// Why: `serve` loads the trust store once, at its start. An administrator who revokes a key (its `revoked-at` in the
/// file) or adds a successor (`consentgate keys generate`) while the service runs must restart it for the change to
/// count, and the documentation says so; this makes a forgotten restart visible (a warning in the service's log, a gauge in `/metrics`) instead of
/// leaving the service signing with a key the file has revoked. Cheap when nothing changed: one `stat` of the file; it is
/// read and compared again only when its size, time, inode or device changed.
final class TrustStoreWatch: Sendable {
    private let file: String
    private let demoMode: Bool
    /// The store in force, as `keyEvents` compares: roles and state by kid.
    private let inForce: [String: (roles: [String], state: String)]
    /// The file's stamp when last compared, and what the comparison said.
    private let last: Mutex<(stamp: FileStamp?, state: TrustStoreFileState)>

    /// A watch of `file`, whose store in force (loaded at open) is `store`.
    init(file: String, demoMode: Bool, store: TrustStore) {
        self.file = file
        self.demoMode = demoMode
        var inForce: [String: (roles: [String], state: String)] = [:]
        for key in store.entries { inForce[key.kid] = (roles: key.roles.map(\.rawValue).sorted(), state: Gate.trustState(key)) }
        self.inForce = inForce
        // No stamp yet: the first look reads the file, so a change made between loading the store and this moment counts.
        self.last = Mutex((stamp: nil, state: .unchanged))
    }

    /// What the file says now against the store in force.
    func state() -> TrustStoreFileState {
        let stamp = FileStamp(path: file)
        if let known = last.withLock({ $0.stamp == stamp && stamp != nil ? $0.state : nil }) { return known }
        let state: TrustStoreFileState
        do {
            let events = Gate.keyEvents(current: try TrustStore.load(file: file, demoMode: demoMode).entries, recorded: inForce)
            state = events.isEmpty ? .unchanged : .changed(events)
        } catch {
            state = .unreadable(error)
        }
        last.withLock { $0 = (stamp: stamp, state: state) }
        return state
    }
}

/// What `stat` says of a file that tells whether it may have changed: device, inode, size, modification time. An editor
/// or `keys revoke` that replaces the file (a new inode) changes it, as does writing it in place.
struct FileStamp: Equatable, Sendable {
    let device: UInt64
    let inode: UInt64
    let size: UInt64
    let modified: Date

    /// The stamp of the file at `path`, or nil when it cannot be read.
    init?(path: String) {
        guard let a = try? FileManager.default.attributesOfItem(atPath: path),
              let size = (a[.size] as? NSNumber)?.uint64Value, let modified = a[.modificationDate] as? Date else { return nil }
        self.device = (a[.deviceIdentifier] as? NSNumber)?.uint64Value ?? 0
        self.inode = (a[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
        self.size = size
        self.modified = modified
    }
}

extension Gate {
    /// Whether the trust store file still says what this installation opened with (see `TrustStoreWatch`). For a
    /// long-running `serve`: a change counts for it only after a restart.
    public func trustStoreFileState() -> TrustStoreFileState { trustStoreWatch.state() }
}
