/// Finds the repeated occurrence of a duplicate mapping key in the YAML text.
///
/// Yams stops composing at a mapping with a duplicate key and reports the position of the key's **first**
/// occurrence, which is the line a DPO did not mean to change. This looks for the next occurrence of the same key
/// in the same mapping: in block style a later line at the same indentation (stopping where the mapping ends, at a
/// line indented less); in flow style a later `key:` after `{` or `,`. Columns count Unicode scalars, as libyaml does.
enum DuplicateKeyLocator {
    /// The 1-based (line, column) of the repetition of `key` whose first occurrence is at (`line`, `column`), or nil.
    static func repetition(of key: String, firstAt line: Int, column: Int, in text: String) -> (line: Int, column: Int)? {
        let lines: [[Unicode.Scalar]] = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { raw in
            var l = Array(raw)
            if l.last == "\r" { l.removeLast() }
            return l
        }
        guard line >= 1, line <= lines.count, column >= 1, column <= lines[line - 1].count else { return nil }
        // As written, quoted, or with the string tag the loader reads keys as anyway (`!!str name.family`: a review found
        // such a repetition reported at the first occurrence).
        let plain = [key, "\"\(key)\"", "'\(key)'"]
        let forms = (plain + plain.map { "!!str " + $0 }).map { Array($0.unicodeScalars) }
        func isKey(_ l: [Unicode.Scalar], at p: Int) -> Bool {
            for form in forms where p + form.count <= l.count && Array(l[p..<(p + form.count)]) == form {
                var q = p + form.count
                while q < l.count, l[q] == " " { q += 1 }
                if q < l.count, l[q] == ":", q + 1 == l.count || l[q + 1] == " " || l[q + 1] == "," || l[q + 1] == "}" { return true }
            }
            return false
        }
        let first = lines[line - 1]
        let start = column - 1
        let block = first[..<start].allSatisfy { $0 == " " || $0 == "-" || $0 == "?" }
        if block {
            for n in line..<lines.count {
                let l = lines[n]
                var indent = 0
                while indent < l.count, l[indent] == " " { indent += 1 }
                if indent >= l.count || l[indent] == "#" { continue }
                if indent < start { return nil }
                if indent == start, isKey(l, at: indent) { return (n + 1, indent + 1) }
            }
            return nil
        }
        var flowDepth = 0
        for n in (line - 1)..<lines.count {
            let l = lines[n]
            var p = n == line - 1 ? start + 1 : 0
            var quote: Unicode.Scalar? = nil
            var previous: Unicode.Scalar = n == line - 1 ? "x" : " "
            while p < l.count {
                let c = l[p]
                if let q = quote {
                    if c == q { quote = nil }
                } else if flowDepth == 0 && (previous == "," || previous == "{") && c != " " && isKey(l, at: p) {
                    return (n + 1, p + 1)
                } else if c == "\"" || c == "'" {
                    quote = c
                } else if c == "{" || c == "[" {
                    flowDepth += 1
                } else if c == "}" || c == "]" {
                    if flowDepth == 0 { return nil }
                    flowDepth -= 1
                }
                if c != " " { previous = c }
                p += 1
            }
        }
        return nil
    }
}
