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
/// again after a restart, is small for a work-day tool. Expired sessions are swept on creation (at most once a
/// `sweepInterval`; an expired session is refused at its look-up anyway), and anonymous sessions are capped so
/// unauthenticated clients cannot exhaust memory: beyond `maxAnonymous`, the oldest created goes.
///
/// Creating a session costs the same however many there are (found in the web review: every creation filtered the
/// whole table, and at the cap sorted every anonymous session, so a client requesting `/login` without a cookie in a
/// loop made this actor, which every page request passes through, sort 10,000 sessions per request).
public actor SessionStore {
    private var sessions: [String: WebSession] = [:]
    /// Ids of anonymous sessions in the order they were created, from `anonymousHead` on (ids of sessions gone since
    /// are skipped when met).
    private var anonymousOrder: [String] = []
    private var anonymousHead = 0
    /// The number of anonymous sessions in `sessions`.
    private var anonymousCount = 0
    /// When expired sessions were last swept.
    private var lastSweep = Date.distantPast
    /// Expired sessions are swept at most this often.
    let sweepInterval: TimeInterval = 60
    /// Idle timeout and absolute lifetime.
    let idleTimeout: TimeInterval
    let lifetime: TimeInterval
    /// Most anonymous sessions kept; the oldest are dropped beyond this.
    let maxAnonymous: Int
    /// The referral checks' results each session's `/check/{index}` shows (`KeptCheck`), newest last.
    private var checks: [String: [KeptCheck]] = [:]
    /// Most results kept per session: a reload, Back and Forward over the last few checks show them again.
    static let keptChecksPerSession = 10

    /// An empty store; both times in seconds (the service passes its configuration's), at most `maxAnonymous` anonymous sessions kept.
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
        if accountName == nil {
            anonymousOrder.append(session.id)
            anonymousCount += 1
        }
        return session
    }

    /// The live session with this id (refreshing its idle clock), or nil when unknown or expired.
    public func session(id: String, now: Date = Date()) -> WebSession? {
        guard var s = sessions[id] else { return nil }
        if isExpired(s, now: now) { drop(id); return nil }
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

    /// Keeps `check` for session `id` (the oldest beyond `keptChecksPerSession` goes); nothing for an unknown session.
    func keepCheck(_ check: KeptCheck, session id: String) {
        guard sessions[id] != nil else { return }
        var kept = checks[id, default: []]
        kept.append(check)
        if kept.count > Self.keptChecksPerSession { kept.removeFirst(kept.count - Self.keptChecksPerSession) }
        checks[id] = kept
    }

    /// The result of the check with audit index `index` that session `id` made, or nil.
    func keptCheck(index: Int64, session id: String) -> KeptCheck? {
        checks[id]?.last { $0.index == index }
    }

    /// Ends a session (logout).
    public func remove(id: String) { drop(id) }

    /// Ends every session of an account (after it is disabled).
    public func removeAll(accountName: String) {
        sessions = sessions.filter { $0.value.accountName != accountName }
        checks = checks.filter { sessions[$0.key] != nil }
    }

    /// The number of anonymous sessions (for tests).
    var anonymousSessions: Int { anonymousCount }

    /// Removes session `id`, keeping the anonymous count.
    private func drop(_ id: String) {
        checks[id] = nil
        guard let s = sessions.removeValue(forKey: id) else { return }
        if s.accountName == nil { anonymousCount -= 1 }
    }

    /// Number of live sessions (for tests and metrics).
    public var count: Int { sessions.count }

    private func isExpired(_ s: WebSession, now: Date) -> Bool {
        now.timeIntervalSince(s.lastSeenAt) >= idleTimeout || now.timeIntervalSince(s.createdAt) >= lifetime
    }

    /// Drops expired sessions (at most once a `sweepInterval`), then the oldest anonymous ones until a new one fits
    /// under `maxAnonymous`.
    private func sweep(now: Date) {
        if now.timeIntervalSince(lastSweep) >= sweepInterval || now < lastSweep {
            lastSweep = now
            sessions = sessions.filter { !isExpired($0.value, now: now) }
            checks = checks.filter { sessions[$0.key] != nil }
            anonymousCount = sessions.values.reduce(0) { $0 + ($1.accountName == nil ? 1 : 0) }
        }
        while anonymousCount >= maxAnonymous, anonymousHead < anonymousOrder.count {
            let id = anonymousOrder[anonymousHead]
            anonymousHead += 1
            if sessions[id]?.accountName == nil { drop(id) }
        }
        // The ids before the head are done with: forget them once they are half the list.
        if anonymousHead > 1024, anonymousHead * 2 > anonymousOrder.count {
            anonymousOrder.removeFirst(anonymousHead)
            anonymousHead = 0
        }
    }
}
