/// Id patterns of rules (`name.*`, `*.date`, `*`): `*` matches any run of characters, everything else itself.
public enum Glob {
    /// Whether `pattern` contains a wildcard.
    public static func isPattern(_ pattern: String) -> Bool { pattern.contains("*") }

    /// Whether `id` matches `pattern`.
    public static func matches(_ pattern: String, _ id: String) -> Bool {
        let p = Array(pattern.utf8), s = Array(id.utf8)
        var pi = 0, si = 0, star = -1, mark = 0
        while si < s.count {
            if pi < p.count, p[pi] == UInt8(ascii: "*") { star = pi; mark = si; pi += 1; continue }
            if pi < p.count, p[pi] == s[si] { pi += 1; si += 1; continue }
            if star >= 0 { pi = star + 1; mark += 1; si = mark; continue }
            return false
        }
        while pi < p.count, p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}
