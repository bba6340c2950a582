import Foundation
import Signing

/// Run ids: `YYYYMMDDTHHMMSSZ-<8 hex>` (UTC start time and randomness), e.g. `20261125T130000Z-3f9a0c1e`.
/// They sort by time, are unique across runs started in the same second, and pass `SafeName`.
public enum RunID {
    /// A new run id for a run starting at `now`.
    public static func make(now: Date = Date()) throws -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: now)
        func pad(_ n: Int?, _ w: Int) -> String { let s = String(n ?? 0); return String(repeating: "0", count: max(0, w - s.count)) + s }
        let stamp = pad(c.year, 4) + pad(c.month, 2) + pad(c.day, 2) + "T" + pad(c.hour, 2) + pad(c.minute, 2) + pad(c.second, 2) + "Z"
        return try SafeName.validate(stamp + "-" + Hex.encode(SecureRandom.bytes(4)), kind: "run id")
    }
}
