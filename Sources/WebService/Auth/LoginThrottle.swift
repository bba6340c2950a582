import Foundation
import Signing

/// Slows password guessing without letting anyone lock a colleague out: the device cookies of the OWASP
/// Authentication Cheat Sheet ("Slow Down Online Guessing Attacks with Device Cookies").
///
/// - A browser that has logged in to an account gets a device cookie for it (`cg_device`: 256 random bits, kept here
///   in memory with the account name). A login for that name that presents it is counted against that cookie only:
///   at most `maxFailures` failed password checks within `window`, then that cookie is refused (429) until the oldest
///   leaves the window. Wrong passwords typed elsewhere for the name do not touch it: the real user keeps logging in.
/// - Every other attempt (no cookie, another account's, an unknown or expired one) comes from an untrusted client and
///   is counted per account name, as before: at most `maxFailures` within `window` for all untrusted clients of one
///   name together, then 429. Keyed by the (validated, lower-cased) name, not the address (behind a county proxy every
///   client has the same address).
///
/// An attempt is reserved before its password is checked (`reserve`) and counts as a failure unless the login succeeds
/// (`succeeded` forgets the attempts of the bucket it was counted in and hands out a fresh device cookie). Reserving
/// and checking the count are one step of the actor, so parallel requests cannot all pass the check before any of them
/// is counted: N parallel wrong guesses run at most `maxFailures` password checks per bucket.
actor LoginThrottle {
    /// The name of the device cookie.
    static let deviceCookie = "cg_device"
    /// How long a device cookie is honoured after the login that issued it.
    static let deviceLifetime: TimeInterval = 180 * 24 * 3600

    /// Where an attempt is counted.
    enum Bucket: Equatable, Sendable {
        /// Untrusted clients of one account name.
        case untrusted(name: String)
        /// One device cookie, valid for the name tried.
        case device(token: String)
    }

    private struct Device {
        var name: String
        var issued: Date
        var failures: [Date]
    }

    let maxFailures: Int
    let window: TimeInterval
    /// The most device cookies kept (the oldest go first; a dropped cookie makes its browser an untrusted client).
    let maxDevices: Int
    /// The most device cookies kept for one account name (its oldest go first). Without it, one account's logins
    /// could push every colleague's cookie out of the global `maxDevices`, after which wrong passwords typed for a
    /// colleague's name would lock them out again.
    let maxDevicesPerName: Int
    private var attempts: [String: [Date]] = [:]
    private var devices: [String: Device] = [:]

    init(maxFailures: Int = 5, window: TimeInterval = 5 * 60, maxDevices: Int = 50_000, maxDevicesPerName: Int = 20) {
        self.maxFailures = maxFailures; self.window = window; self.maxDevices = maxDevices
        self.maxDevicesPerName = maxDevicesPerName
    }

    /// The bucket an attempt for `name` with the device cookie `device` (if any) is counted in.
    func bucket(name: String, device: String?, now: Date = Date()) -> Bucket {
        let key = name.lowercased()
        if let device, let d = devices[device], d.name == key, now.timeIntervalSince(d.issued) < Self.deviceLifetime {
            return .device(token: device)
        }
        return .untrusted(name: key)
    }

    /// Reserves one attempt for `name` in its bucket and returns the bucket and no wait, or returns the seconds until
    /// that bucket may try again (reserving nothing) when its attempts within the window have reached the limit.
    func reserve(name: String, device: String? = nil, now: Date = Date()) -> (bucket: Bucket, wait: TimeInterval?) {
        let counted = bucket(name: name, device: device, now: now)
        let recent = prune(counted, now: now)
        if recent.count >= maxFailures, let oldest = recent.first {
            return (counted, max(1, window - now.timeIntervalSince(oldest)))
        }
        switch counted {
        case .untrusted(let key):
            attempts[key] = recent + [now]
            if attempts.count > 50_000 {
                attempts = attempts.compactMapValues { dates in
                    let recent = dates.filter { now.timeIntervalSince($0) < window }
                    return recent.isEmpty ? nil : recent
                }
            }
        case .device(let token):
            devices[token]?.failures = recent + [now]
        }
        return (counted, nil)
    }

    /// After a successful login for `name` counted in `bucket`: forgets that bucket's attempts, and returns a fresh
    /// device cookie value for `name` (the one presented, if any, is dropped).
    func succeeded(name: String, bucket: Bucket, now: Date = Date()) throws -> String {
        switch bucket {
        case .untrusted(let key): attempts[key] = nil
        case .device(let token): devices[token] = nil
        }
        let key = name.lowercased()
        // First the name's own oldest cookies, so that the global limit below is only reached by many accounts.
        let own = devices.filter { $0.value.name == key }
        if own.count >= maxDevicesPerName {
            for (token, _) in own.sorted(by: { $0.value.issued < $1.value.issued }).prefix(own.count - maxDevicesPerName + 1) {
                devices[token] = nil
            }
        }
        if devices.count >= maxDevices {
            let oldest = devices.sorted { $0.value.issued < $1.value.issued }.prefix(devices.count - maxDevices + 1)
            for (token, _) in oldest { devices[token] = nil }
        }
        let token = Base64URL.encode(try SecureRandom.bytes(32))
        devices[token] = Device(name: key, issued: now, failures: [])
        return token
    }

    /// Forgets the untrusted attempts of `name` (tests, and the old single-bucket callers).
    func succeeded(name: String) { attempts[name.lowercased()] = nil }

    /// The untrusted attempts of `name` still counted now (for tests).
    func count(name: String, now: Date = Date()) -> Int { prune(.untrusted(name: name.lowercased()), now: now).count }

    private func prune(_ bucket: Bucket, now: Date) -> [Date] {
        switch bucket {
        case .untrusted(let key):
            let recent = (attempts[key] ?? []).filter { now.timeIntervalSince($0) < window }
            attempts[key] = recent.isEmpty ? nil : recent
            return recent
        case .device(let token):
            let recent = (devices[token]?.failures ?? []).filter { now.timeIntervalSince($0) < window }
            devices[token]?.failures = recent
            return recent
        }
    }
}
