import Foundation
import Signing

/// Run ids: `YYYYMMDDTHHMMSSZ-<8 hex>` (UTC start time and randomness), e.g. `20261125T130000Z-3f9a0c1e`.
/// They sort by time, are unique across runs started in the same second, and pass `SafeName`.
///
/// Partners process a drive's run folders in name order (a run's erasure notices after the data they erase), so a
/// run started in the same second as the latest run on the drive must still sort after it: its random part is then
/// drawn above that run's (`make(now:after:)`).
public enum RunID {
    /// A new run id for a run starting at `now`; when `latest` (the greatest run id on the drive) has the same
    /// second, one that sorts after it.
    public static func make(now: Date = Date(), after latest: String? = nil) throws -> String {
        let stamp = self.stamp(now)
        var suffix = Hex.encode(try SecureRandom.bytes(4))
        if let latest, latest.hasPrefix(stamp + "-"), let floor = UInt32(latest.dropFirst(stamp.count + 1), radix: 16), floor < .max {
            // Uniformly enough above `floor`: the order matters here, not the distribution.
            let draw = try SecureRandom.bytes(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            let value = floor + 1 + draw % (UInt32.max - floor)
            let hex = String(value, radix: 16)
            suffix = String(repeating: "0", count: 8 - hex.count) + hex
        }
        return try SafeName.validate(stamp + "-" + suffix, kind: "run id")
    }

    /// The greatest run id among the run folders of `partnerFolders` (names of folders in `drive`), published or
    /// being staged (`.<run-id>.partial-…`); nil when there is none. Unreadable folders count as empty.
    public static func latest(onDrive drive: String, partnerFolders: [String]) -> String? {
        var latest: String? = nil
        for folder in partnerFolders {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: drive + "/" + folder)) ?? []
            for name in names {
                let candidate = name.hasPrefix(".") ? String(name.dropFirst().prefix(25)) : name
                if isRunID(candidate), candidate > (latest ?? "") { latest = candidate }
            }
        }
        return latest
    }

    /// Whether `name` has the form of a run id (`YYYYMMDDTHHMMSSZ-` and eight lower-case hex digits).
    public static func isRunID(_ name: String) -> Bool {
        let b = Array(name.utf8)
        guard b.count == 25, b[8] == UInt8(ascii: "T"), b[15] == UInt8(ascii: "Z"), b[16] == UInt8(ascii: "-") else { return false }
        let digits = b[0..<8] + b[9..<15]
        return digits.allSatisfy { (48...57).contains($0) } && b[17...].allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// The UTC start time a run id names (its `YYYYMMDDTHHMMSSZ` part); nil when `runID` is not a run id or names no
    /// real time (e.g. month 13).
    public static func startTime(of runID: String) -> Date? {
        guard isRunID(runID) else { return nil }
        let b = Array(runID.utf8)
        func number(_ range: Range<Int>) -> Int { b[range].reduce(0) { $0 * 10 + Int($1 - 48) } }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = DateComponents(year: number(0..<4), month: number(4..<6), day: number(6..<8),
                               hour: number(9..<11), minute: number(11..<13), second: number(13..<15))
        guard c.isValidDate(in: calendar), let date = calendar.date(from: c) else { return nil }
        return date
    }

    /// `YYYYMMDDTHHMMSSZ` for `date` (UTC).
    static func stamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ n: Int?, _ w: Int) -> String { let s = String(n ?? 0); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return pad(c.year, 4) + pad(c.month, 2) + pad(c.day, 2) + "T" + pad(c.hour, 2) + pad(c.minute, 2) + pad(c.second, 2) + "Z"
    }
}
