import Diagnostics
import Foundation
import Yams

/// A YAML node with its location, converted from Yams with hard limits: input size, nesting depth and node
/// count (which also stops alias expansion bombs). Scalars remember whether they were plain (unquoted), so a
/// quoted `"6"` is text and a plain `6` a number.
struct YAMLNode: Sendable {
    enum Kind: Sendable {
        case scalar(String, plain: Bool)
        case mapping([(key: YAMLNode, value: YAMLNode)])
        case sequence([YAMLNode])
    }
    var kind: Kind
    var location: SourceLocation

    /// The scalar text, if this is a scalar.
    var scalar: String? { if case .scalar(let s, _) = kind { return s } else { return nil } }
    /// Whether this is a plain null (`~`, `null` or empty).
    var isNull: Bool {
        if case .scalar(let s, let plain) = kind { return plain && (s.isEmpty || s == "~" || s == "null") }
        return false
    }
}

/// Limits against hostile or broken input.
public enum YAMLLimits {
    /// The largest YAML file the loader reads (1 MiB).
    public static let maxFileBytes = 1 << 20
    /// The deepest nesting of mappings and sequences accepted.
    public static let maxDepth = 32
    /// The most nodes one file may expand to (aliases count every time they are used).
    public static let maxNodes = 200_000
}

/// Reads one YAML file into a `YAMLNode`, or reports why it cannot.
enum YAMLReader {
    /// Parses `text` from `file`; problems go to `diagnostics`. Returns nil when the file cannot be used at all.
    static func parse(_ text: String, file: String, diagnostics: inout [PolicyDiagnostic]) -> YAMLNode? {
        let bytes = text.utf8.count
        if bytes > YAMLLimits.maxFileBytes {
            diagnostics.append(PolicyDiagnostic(code: "input-too-large", location: SourceLocation(file: file, line: 1, column: 1),
                message: LocalizedText(de: "Datei zu groß: \(bytes) Bytes, höchstens \(YAMLLimits.maxFileBytes) erlaubt",
                                       en: "file too large: \(bytes) bytes, at most \(YAMLLimits.maxFileBytes) allowed")))
            return nil
        }
        if let bad = YAMLForbiddenCharacter.first(in: text) {
            diagnostics.append(PolicyDiagnostic(code: "yaml-syntax", location: SourceLocation(file: file, line: bad.line, column: bad.column),
                message: LocalizedText(de: bad.reason.de, en: bad.reason.en)))
            return nil
        }
        if let (line, column) = firstTooDeep(text) {
            diagnostics.append(PolicyDiagnostic(code: "nesting-too-deep", location: SourceLocation(file: file, line: line, column: column),
                message: LocalizedText(de: "zu tief verschachtelt: höchstens \(YAMLLimits.maxDepth) Ebenen erlaubt",
                                       en: "nested too deeply: at most \(YAMLLimits.maxDepth) levels allowed")))
            return nil
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            diagnostics.append(syntaxDiagnostic(error, file: file, text: text))
            return nil
        } catch {
            diagnostics.append(PolicyDiagnostic(code: "yaml-syntax", location: SourceLocation(file: file, line: 1, column: 1),
                message: LocalizedText(de: "YAML nicht lesbar: \(error)", en: "YAML not readable: \(error)")))
            return nil
        }
        guard let root else {
            return YAMLNode(kind: .mapping([]), location: SourceLocation(file: file, line: 1, column: 1))
        }
        var budget = YAMLLimits.maxNodes
        do {
            return try convert(root, file: file, depth: 0, budget: &budget)
        } catch let problem as ConversionProblem {
            diagnostics.append(problem.diagnostic)
            return nil
        } catch {
            return nil
        }
    }

    private struct ConversionProblem: Error { var diagnostic: PolicyDiagnostic }

    private static let yamlTagPrefix = "tag:yaml.org,2002:"
    /// The tags a plain YAML file resolves to by itself; any other explicit tag is refused.
    private static let coreTags: Set<String> = Set(["str", "int", "bool", "null", "float", "timestamp", "map", "seq"].map { yamlTagPrefix + $0 })

    private static func convert(_ node: Node, file: String, depth: Int, budget: inout Int) throws -> YAMLNode {
        let mark = node.mark
        let loc = SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
        budget -= 1
        if budget < 0 {
            throw ConversionProblem(diagnostic: PolicyDiagnostic(code: "input-too-large", location: loc,
                message: LocalizedText(de: "zu viele YAML-Knoten (höchstens \(YAMLLimits.maxNodes), Aliase mitgezählt)",
                                       en: "too many YAML nodes (at most \(YAMLLimits.maxNodes), aliases counted)")))
        }
        if depth > YAMLLimits.maxDepth {
            throw ConversionProblem(diagnostic: PolicyDiagnostic(code: "nesting-too-deep", location: loc,
                message: LocalizedText(de: "zu tief verschachtelt: höchstens \(YAMLLimits.maxDepth) Ebenen erlaubt",
                                       en: "nested too deeply: at most \(YAMLLimits.maxDepth) levels allowed")))
        }
        let tag: String
        switch node {
        case .scalar(let s): tag = s.tag.description
        case .mapping(let m): tag = m.tag.description
        case .sequence(let s): tag = s.tag.description
        case .alias: tag = ""
        }
        // A merge key `<<` (resolved by Yams as a scalar tagged `!!merge`, though the file has no tag): said as what the
        // author wrote (a review found "YAML tag `!!merge` is not supported" for `{<<: *jc, …}`).
        if tag == yamlTagPrefix + "merge" {
            throw ConversionProblem(diagnostic: PolicyDiagnostic(code: "unknown-key", location: loc,
                message: LocalizedText(de: "Zusammenführungsschlüssel `<<` wird nicht unterstützt: die Angaben bitte ausschreiben (ein Anker `&` mit Verweis `*` ist erlaubt)",
                                       en: "merge key `<<` is not supported: write the entries out (an anchor `&` with an alias `*` is allowed)")))
        }
        if !tag.isEmpty, tag != "!", !coreTags.contains(tag) {
            // Fail closed: `!!binary`, `!!python/…`, `!custom` would otherwise be dropped and the text read as is.
            let shown = tag.hasPrefix(yamlTagPrefix) ? "!!" + tag.dropFirst(yamlTagPrefix.count) : tag
            throw ConversionProblem(diagnostic: PolicyDiagnostic(code: "yaml-syntax", location: loc,
                message: LocalizedText(de: "YAML-Tag `\(shown)` wird nicht unterstützt", en: "YAML tag `\(shown)` is not supported")))
        }
        switch node {
        case .scalar(let s):
            // An explicit `!!str` makes a plain scalar text: `!!str 18` is not the number 18.
            return YAMLNode(kind: .scalar(s.string, plain: s.style == .plain && tag != yamlTagPrefix + "str"), location: loc)
        case .mapping(let m):
            var pairs: [(key: YAMLNode, value: YAMLNode)] = []
            // Keys are read as text: two keys YAML tells apart only by a tag (`id` and `!!int id`) are one key here, and
            // a silent "last one wins" would let a line change what an earlier one says. Yams catches plain repetitions.
            var seen: [String: SourceLocation] = [:]
            for (k, v) in m {
                let key = try convert(k, file: file, depth: depth + 1, budget: &budget)
                if case .scalar(let text, _) = key.kind {
                    if let first = seen[text] {
                        throw ConversionProblem(diagnostic: PolicyDiagnostic(code: "duplicate-id", location: key.location,
                            message: LocalizedText(de: "doppelter Schlüssel: \(text) (zuerst in \(first))",
                                                   en: "duplicate key: \(text) (first at \(first))")))
                    }
                    seen[text] = key.location
                }
                pairs.append((key, try convert(v, file: file, depth: depth + 1, budget: &budget)))
            }
            return YAMLNode(kind: .mapping(pairs), location: loc)
        case .sequence(let s):
            var items: [YAMLNode] = []
            for v in s { items.append(try convert(v, file: file, depth: depth + 1, budget: &budget)) }
            return YAMLNode(kind: .sequence(items), location: loc)
        case .alias:
            throw ConversionProblem(diagnostic: PolicyDiagnostic(code: "yaml-syntax", location: loc,
                message: LocalizedText(de: "YAML-Aliase werden nicht unterstützt", en: "YAML aliases are not supported")))
        }
    }

    /// A pre-scan, before Yams recurses: the nesting implied by indentation, sequence dashes and flow brackets.
    /// Returns the position where it first exceeds the limit. Keeps a hostile file from overflowing the stack.
    ///
    /// Works on UTF-8 bytes, so `\r\n` line ends count as line ends (Swift's `Character` treats `\r\n` as one
    /// character, so splitting a `String` on `"\n"` did not split a CRLF file at all). Flow brackets are counted
    /// open and closed across lines (a one-line JSON bundle is not deep, a flow collection spread over many lines
    /// is); a `[` or `{` in block context opens a flow collection only where a value can start. Block scalar
    /// (`|`, `>`) contents are skipped. The exact limit is enforced again on the parsed nodes.
    static func firstTooDeep(_ text: String) -> (Int, Int)? {
        let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), cr = UInt8(ascii: "\r"), hash = UInt8(ascii: "#")
        let dash = UInt8(ascii: "-"), colon = UInt8(ascii: ":"), question = UInt8(ascii: "?")
        let dquote = UInt8(ascii: "\""), squote = UInt8(ascii: "'"), backslash = UInt8(ascii: "\\")
        var indents: [Int] = []
        var flowDepth = 0
        var blockDepth = 0
        var blockScalarIndent: Int? = nil
        var lineNumber = 0
        for rawLine in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Array(rawLine)
            if line.last == cr { line.removeLast() }
            var i = 0
            while i < line.count, line[i] == space { i += 1 }
            let blank = i >= line.count || line[i] == hash || (line[i...].allSatisfy { $0 == space || $0 == tab })
            if let parent = blockScalarIndent {
                if blank || i > parent { continue }
                blockScalarIndent = nil
            }
            if flowDepth == 0 {
                if blank { continue }
                while let last = indents.last, last >= i { indents.removeLast() }
                indents.append(i)
                blockDepth = indents.count
            }
            var depth = blockDepth + flowDepth
            var quote: UInt8? = nil
            var valueStart = flowDepth == 0   // in block context: at a position where a value may start
            var j = i
            while j < line.count {
                let c = line[j]
                if let q = quote {
                    if c == backslash && q == dquote { j += 2; continue }
                    if c == q { quote = nil }
                    j += 1; continue
                }
                if c == hash && (j == 0 || line[j - 1] == space || line[j - 1] == tab) { break }
                if c == dquote || c == squote {
                    quote = c; valueStart = false
                } else if c == UInt8(ascii: "[") || c == UInt8(ascii: "{") {
                    if flowDepth > 0 || valueStart { flowDepth += 1; depth += 1 }
                    valueStart = false
                } else if c == UInt8(ascii: "]") || c == UInt8(ascii: "}") {
                    if flowDepth > 0 { flowDepth -= 1; depth -= 1 }
                } else if flowDepth == 0 && (c == dash || c == question || c == colon)
                            && (j + 1 == line.count || line[j + 1] == space) && (c == colon || j == i || line[j - 1] == space) {
                    if c == dash { depth += 1 }
                    valueStart = true
                } else if c != space && c != tab {
                    if flowDepth == 0 && (c == UInt8(ascii: "|") || c == UInt8(ascii: ">")) && valueStart {
                        blockScalarIndent = i
                    }
                    valueStart = false
                }
                if depth > YAMLLimits.maxDepth { return (lineNumber, j + 1) }
                j += 1
            }
            if depth > YAMLLimits.maxDepth { return (lineNumber, i + 1) }
        }
        return nil
    }

    private static func syntaxDiagnostic(_ error: YamlError, file: String, text: String) -> PolicyDiagnostic {
        var line = 1, column = 1
        var problem = "\(error)"
        switch error {
        case .scanner(_, let p, let mark, _), .parser(_, let p, let mark, _), .composer(_, let p, let mark, _):
            line = mark.line; column = mark.column; problem = p
        case .duplicatedKeysInMapping(let duplicates, let context):
            line = context.mark.line; column = context.mark.column
            let keys = duplicates.joined(separator: ", ")
            // Point at the repetition (the line just added), naming the first occurrence, as duplicate ids do.
            if duplicates.count == 1, let again = DuplicateKeyLocator.repetition(of: duplicates[0], firstAt: line, column: column, in: text) {
                let first = SourceLocation(file: file, line: line, column: column)
                return PolicyDiagnostic(code: "duplicate-id", location: SourceLocation(file: file, line: again.line, column: again.column),
                    message: LocalizedText(de: "doppelter Schlüssel: \(keys) (zuerst in \(first))", en: "duplicate key: \(keys) (first at \(first))"))
            }
            return PolicyDiagnostic(code: "duplicate-id", location: SourceLocation(file: file, line: line, column: column),
                message: LocalizedText(de: "doppelter Schlüssel: \(keys)", en: "duplicate key: \(keys)"))
        default: break
        }
        problem = problem.split(separator: "\n").first.map(String.init) ?? problem
        return PolicyDiagnostic(code: "yaml-syntax", location: SourceLocation(file: file, line: line, column: column),
            message: LocalizedText(de: "YAML-Syntaxfehler: \(YAMLSyntaxWords.problem(problem, in: .de))", en: "YAML syntax error: \(problem)"))
    }
}
