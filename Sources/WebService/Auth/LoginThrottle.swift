import Foundation

/// Slows password guessing: at most `maxFailures` password checks for one account name within `window`
/// that did not end in a login; further attempts for that name are refused (429) until the oldest one
/// leaves the window. Keyed by the (validated, lower-cased) name, not the address (behind a county proxy
/// every client has the same address); the window is short so a deliberate lock-out of a colleague lasts
/// minutes, not a day.
///
/// An attempt is reserved before its password is checked (`reserve`) and counts as a failure unless the
/// login succeeds (`succeeded` forgets the name's attempts). Reserving and checking the count are one step
/// of the actor, so parallel requests cannot all pass the check before any of them is counted: N parallel
/// wrong guesses run at most `maxFailures` password checks.
actor LoginThrottle {
    let maxFailures: Int
    let window: TimeInterval
    private var attempts: [String: [Date]] = [:]

    init(maxFailures: Int = 5, window: TimeInterval = 5 * 60) {
        self.maxFailures = maxFailures; self.window = window
    }

    /// Reserves one attempt for `name` and returns nil, or returns the seconds until `name` may try again
    /// (reserving nothing) when its attempts within the window have reached the limit.
    func reserve(name: String, now: Date = Date()) -> TimeInterval? {
        let key = name.lowercased()
        let recent = prune(key, now: now)
        if recent.count >= maxFailures, let oldest = recent.first {
            return max(1, window - now.timeIntervalSince(oldest))
        }
        attempts[key] = recent + [now]
        if attempts.count > 50_000 {
            attempts = attempts.compactMapValues { dates in
                let recent = dates.filter { now.timeIntervalSince($0) < window }
                return recent.isEmpty ? nil : recent
            }
        }
        return nil
    }

    /// Forgets the attempts of `name` (after a successful login).
    func succeeded(name: String) { attempts[name.lowercased()] = nil }

    /// The attempts of `name` still counted now (for tests).
    func count(name: String, now: Date = Date()) -> Int { prune(name.lowercased(), now: now).count }

    private func prune(_ key: String, now: Date) -> [Date] {
        let recent = (attempts[key] ?? []).filter { now.timeIntervalSince($0) < window }
        attempts[key] = recent.isEmpty ? nil : recent
        return recent
    }
}
