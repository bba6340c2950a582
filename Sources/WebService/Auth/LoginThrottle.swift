import Foundation

/// Slows password guessing: after `maxFailures` failed logins for one account name within `window`,
/// further attempts for that name are refused (429) until the oldest failure leaves the window.
/// Keyed by name, not address (behind a county proxy every client has the same address); the
/// window is short so a deliberate lock-out of a colleague lasts minutes, not a day.
actor LoginThrottle {
    let maxFailures: Int
    let window: TimeInterval
    private var failures: [String: [Date]] = [:]

    init(maxFailures: Int = 5, window: TimeInterval = 5 * 60) {
        self.maxFailures = maxFailures; self.window = window
    }

    /// Seconds until `name` may try again, or nil when it may try now.
    func retryAfter(name: String, now: Date = Date()) -> TimeInterval? {
        let recent = prune(name.lowercased(), now: now)
        guard recent.count >= maxFailures, let oldest = recent.first else { return nil }
        return max(1, window - now.timeIntervalSince(oldest))
    }

    /// Records a failed attempt.
    func recordFailure(name: String, now: Date = Date()) {
        let key = name.lowercased()
        failures[key] = prune(key, now: now) + [now]
        if failures.count > 50_000 { failures = failures.filter { !$0.value.isEmpty } }
    }

    /// Forgets the failures of `name` (after a successful login).
    func reset(name: String) { failures[name.lowercased()] = nil }

    private func prune(_ key: String, now: Date) -> [Date] {
        let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
        failures[key] = recent.isEmpty ? nil : recent
        return recent
    }
}
