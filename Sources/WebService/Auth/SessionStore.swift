import Foundation
import Signing

/// One page session: anonymous (only a CSRF token, for the login form) or bound to an account.
public struct WebSession: Sendable, Equatable {
    /// The secret session id (the cookie value; 256 random bits, base64url).
    public let id: String
    /// The synchronizer CSRF token every form of this session carries (256 random bits).
    public let csrfToken: String
    /// The account logged in, or nil before login.
    public let accountName: String?
    /// The account's credentials stamp at login (`AccountStore.activeAccountWithStamp`): when the account's
    /// password or token is changed since, the session ends.
    public let credentialsStamp: String?
    /// When the session began (UTC).
    public let createdAt: Date
    /// The last request seen (UTC).
    public var lastSeenAt: Date
    /// Entries of a form sent after an earlier session had ended, kept through the login and shown once, filled in
    /// again, by that form's page (`KeptEntries`).
    var keptEntries: KeptEntries?
}

/// The page sessions, held in memory by one actor.
///
/// Why memory and not a table: a session id is a bearer secret; kept only in the serving process it
/// never reaches the disk, backups or the audit database, and restarting the service ends every
/// session at once, which is the incident response an administrator wants. ConsentGate runs as one
/// process per county, so there is no second process to share sessions with. The price, logging in
/// again after a restart, is small for a work-day tool. Expired sessions are swept on creation, and
/// anonymous sessions are capped so unauthenticated clients cannot exhaust memory.
public actor SessionStore {
    private var sessions: [String: WebSession] = [:]
    /// Idle timeout and absolute lifetime.
    let idleTimeout: TimeInterval
    let lifetime: TimeInterval
    /// Most anonymous sessions kept; the oldest are dropped beyond this.
    let maxAnonymous: Int

    public init(idleTimeout: TimeInterval, lifetime: TimeInterval, maxAnonymous: Int = 10_000) {
        self.idleTimeout = idleTimeout; self.lifetime = lifetime; self.maxAnonymous = maxAnonymous
    }

    /// A new session (for `accountName`, or anonymous). At login the anonymous session is replaced
    /// by a new one with a new id (no session fixation).
    public func create(accountName: String?, credentialsStamp: String? = nil, now: Date = Date()) throws -> WebSession {
        try create(accountName: accountName, credentialsStamp: credentialsStamp, keptEntries: nil, now: now)
    }

    /// `create`, holding `keptEntries` (only for a session with an account: anonymous sessions hold no entries) until
    /// the form's page takes them (`takeKeptEntries`).
    func create(accountName: String?, credentialsStamp: String?, keptEntries: KeptEntries?, now: Date = Date()) throws -> WebSession {
        sweep(now: now)
        let session = WebSession(id: Base64URL.encode(try SecureRandom.bytes(32)),
                                 csrfToken: Base64URL.encode(try SecureRandom.bytes(32)),
                                 accountName: accountName, credentialsStamp: credentialsStamp, createdAt: now, lastSeenAt: now,
                                 keptEntries: accountName == nil ? nil : keptEntries)
        sessions[session.id] = session
        return session
    }

    /// The live session with this id (refreshing its idle clock), or nil when unknown or expired.
    public func session(id: String, now: Date = Date()) -> WebSession? {
        guard var s = sessions[id] else { return nil }
        if isExpired(s, now: now) { sessions[id] = nil; return nil }
        s.lastSeenAt = now
        sessions[id] = s
        return s
    }

    /// The kept entries of session `id` for `target`, removed from it (shown once), or nil.
    func takeKeptEntries(id: String, target: KeptEntries.Target) -> KeptEntries? {
        guard let kept = sessions[id]?.keptEntries, kept.target == target else { return nil }
        sessions[id]?.keptEntries = nil
        return kept
    }

    /// Ends a session (logout).
    public func remove(id: String) { sessions[id] = nil }

    /// Ends every session of an account (after it is disabled).
    public func removeAll(accountName: String) { sessions = sessions.filter { $0.value.accountName != accountName } }

    /// Number of live sessions (for tests and metrics).
    public var count: Int { sessions.count }

    private func isExpired(_ s: WebSession, now: Date) -> Bool {
        now.timeIntervalSince(s.lastSeenAt) >= idleTimeout || now.timeIntervalSince(s.createdAt) >= lifetime
    }

    private func sweep(now: Date) {
        sessions = sessions.filter { !isExpired($0.value, now: now) }
        let anonymous = sessions.values.filter { $0.accountName == nil }
        if anonymous.count >= maxAnonymous {
            for s in anonymous.sorted(by: { $0.lastSeenAt < $1.lastSeenAt }).prefix(anonymous.count - maxAnonymous + 1) {
                sessions[s.id] = nil
            }
        }
    }
}
