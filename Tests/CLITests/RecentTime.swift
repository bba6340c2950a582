import Foundation

/// Whole-second UTC times (`2026-11-28T09:00:00Z`) some days before now, for tests whose consents must still be in
/// force today: a consent granted at a fixed 2026 moment runs out two years later, and a test that reads it "now" (a
/// check without `--at`, a state without `--at`) would then fail, not the code (found by running the suite under
/// `faketime` two years on).
enum RecentTime {
    /// The moment `days` days before now, at 09:00:00 UTC of that day.
    static func daysAgo(_ days: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let day = calendar.startOfDay(for: Date().addingTimeInterval(-Double(days) * 86_400))
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: day.addingTimeInterval(9 * 3600))
    }
}
