import Foundation
import Gate
import Signing

/// Slows password guessing without letting anyone lock a colleague out: the device cookies of the OWASP
/// Authentication Cheat Sheet ("Slow Down Online Guessing Attacks with Device Cookies").
///
/// - A browser that has logged in to an account gets a device cookie for it (`cg_device`: 256 random bits). The
///   cookies are kept in the installation's database (`DeviceCookieStore`, table `device_cookie`: the token's SHA-256,
///   the lower-cased account name, the issue time), so a cookie issued before a restart of `serve`, or by another
///   `serve` process on the same database, is honoured as well. A login for that name that presents it is counted
///   against that cookie only: at most `maxFailures` failed password checks within `window`, then that cookie is
///   refused (429) until the oldest leaves the window. Wrong passwords typed elsewhere for the name do not touch it:
///   the real user keeps logging in.
/// - Every other attempt (no cookie, another account's, an unknown or expired one) comes from an untrusted client and
///   is counted per account name, as before: at most `maxFailures` within `window` for all untrusted clients of one
///   name together, then 429. Keyed by the (validated, lower-cased) name, not the address (behind a county proxy every
///   client has the same address).
///
/// The failure counts live in this actor's memory (they matter for minutes): each process counts its own, and a
/// restart forgets them. An attempt is reserved before its password is checked (`reserve`) and counts as a failure
/// unless the login succeeds (`succeeded` forgets the attempts of the bucket it was counted in and hands out a fresh
/// device cookie). The cookie is looked up first (in the database, off the concurrency pool); reserving and checking
/// the count are then one step of the actor, so parallel requests cannot all pass the check before any of them is
/// counted: N parallel wrong guesses run at most `maxFailures` password checks per bucket.
actor LoginThrottle {
    /// The name of the device cookie.
    static let deviceCookie = "cg_device"
    /// How long a device cookie is honoured after the login that issued it (what the browser is told to keep it).
    static let deviceLifetime: TimeInterval = DeviceCookieStore.defaultLifetime

    /// Where an attempt is counted.
    enum Bucket: Equatable, Sendable {
        /// Untrusted clients of one account name.
        case untrusted(name: String)
        /// One device cookie, valid for the name tried.
        case device(token: String)
    }

    let maxFailures: Int
    let window: TimeInterval
    /// The issued device cookies (in the installation's database; its caps: `maxDevices`, `maxDevicesPerName`).
    let devices: DeviceCookieStore
    /// The most device cookies kept (the oldest go first; a dropped cookie makes its browser an untrusted client).
    nonisolated var maxDevices: Int { devices.maxDevices }
    /// The most device cookies kept for one account name (its oldest go first).
    nonisolated var maxDevicesPerName: Int { devices.maxDevicesPerName }
    /// Recent failures of the untrusted clients, by lower-cased account name.
    private var attempts: [String: [Date]] = [:]
    /// Recent failures of each device cookie, by token.
    private var deviceFailures: [String: [Date]] = [:]

    /// A throttle over the device cookies of `devices`.
    init(devices: DeviceCookieStore, maxFailures: Int = 5, window: TimeInterval = 5 * 60) {
        self.devices = devices; self.maxFailures = maxFailures; self.window = window
    }

    /// The bucket an attempt for `name` with the device cookie `device` (if any) is counted in: the cookie's own when
    /// the store holds it for the name and it has not expired, else the name's untrusted clients.
    func bucket(name: String, device: String?, now: Date = Date()) async throws -> Bucket {
        let key = name.lowercased()
        guard let device, DeviceCookieStore.isWellFormed(device) else { return .untrusted(name: key) }
        let store = devices
        let valid = try await BlockingWork.run { try store.isValid(token: device, for: key, now: now) }
        return valid ? .device(token: device) : .untrusted(name: key)
    }

    /// Reserves one attempt for `name` in its bucket and returns the bucket and no wait, or returns the seconds until
    /// that bucket may try again (reserving nothing) when its attempts within the window have reached the limit.
    func reserve(name: String, device: String? = nil, now: Date = Date()) async throws -> (bucket: Bucket, wait: TimeInterval?) {
        let counted = try await bucket(name: name, device: device, now: now)
        return reserve(in: counted, now: now)
    }

    /// The counting step of `reserve`, without a suspension point: checks the bucket's recent attempts and adds one.
    private func reserve(in counted: Bucket, now: Date) -> (bucket: Bucket, wait: TimeInterval?) {
        let recent = prune(counted, now: now)
        if recent.count >= maxFailures, let oldest = recent.first {
            return (counted, max(1, window - now.timeIntervalSince(oldest)))
        }
        switch counted {
        case .untrusted(let key): attempts[key] = recent + [now]
        case .device(let token): deviceFailures[token] = recent + [now]
        }
        if attempts.count + deviceFailures.count > 50_000 {
            attempts = attempts.compactMapValues { recentOnly($0, now: now) }
            deviceFailures = deviceFailures.compactMapValues { recentOnly($0, now: now) }
        }
        return (counted, nil)
    }

    /// After a successful login for `name` counted in `bucket`: forgets that bucket's attempts, and returns a fresh
    /// device cookie value for `name` (the one presented, if any, is dropped). Throws when the store cannot be written
    /// (then the presented cookie, if any, stays valid).
    func succeeded(name: String, bucket: Bucket, now: Date = Date()) async throws -> String {
        let replacing: String?
        switch bucket {
        case .untrusted(let key): attempts[key] = nil; replacing = nil
        case .device(let token): deviceFailures[token] = nil; replacing = token
        }
        let (store, key) = (devices, name.lowercased())
        return try await BlockingWork.run { try store.issue(for: key, replacing: replacing, now: now) }
    }

    /// Forgets the untrusted attempts of `name` (tests, and the old single-bucket callers).
    func succeeded(name: String) { attempts[name.lowercased()] = nil }

    /// The untrusted attempts of `name` still counted now (for tests).
    func count(name: String, now: Date = Date()) -> Int { prune(.untrusted(name: name.lowercased()), now: now).count }

    /// `dates` within the window before `now`, or nil when none is.
    private func recentOnly(_ dates: [Date], now: Date) -> [Date]? {
        let recent = dates.filter { now.timeIntervalSince($0) < window }
        return recent.isEmpty ? nil : recent
    }

    private func prune(_ bucket: Bucket, now: Date) -> [Date] {
        switch bucket {
        case .untrusted(let key):
            let recent = recentOnly(attempts[key] ?? [], now: now)
            attempts[key] = recent
            return recent ?? []
        case .device(let token):
            let recent = recentOnly(deviceFailures[token] ?? [], now: now)
            deviceFailures[token] = recent
            return recent ?? []
        }
    }
}
