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
            diagnostics.append(syntaxDiagnostic(error, file: file))
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
        switch node {
        case .scalar(let s):
            return YAMLNode(kind: .scalar(s.string, plain: s.style == .plain), location: loc)
        case .mapping(let m):
            var pairs: [(key: YAMLNode, value: YAMLNode)] = []
            for (k, v) in m {
                pairs.append((try convert(k, file: file, depth: depth + 1, budget: &budget),
                               try convert(v, file: file, depth: depth + 1, budget: &budget)))
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

    /// A conservative pre-scan, before Yams recurses: the nesting implied by indentation, sequence dashes and flow
    /// brackets. Returns the position where it first exceeds the limit. Keeps a hostile file from overflowing the stack.
    static func firstTooDeep(_ text: String) -> (Int, Int)? {
        var indents: [Int] = []
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = Array(rawLine.utf8)
            var i = 0
            while i < line.count, line[i] == UInt8(ascii: " ") { i += 1 }
            if i >= line.count || line[i] == UInt8(ascii: "#") || line[i] == UInt8(ascii: "\r") { continue }
            while let last = indents.last, last >= i { indents.removeLast() }
            indents.append(i)
            var depth = indents.count
            var quote: UInt8? = nil
            var j = i
            while j < line.count {
                let c = line[j]
                if let q = quote {
                    if c == q { quote = nil }
                } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                    quote = c
                } else if c == UInt8(ascii: "#") && (j == 0 || line[j - 1] == UInt8(ascii: " ")) {
                    break
                } else if c == UInt8(ascii: "[") || c == UInt8(ascii: "{") {
                    depth += 1
                } else if c == UInt8(ascii: "-") && (j + 1 == line.count || line[j + 1] == UInt8(ascii: " ")) && (j == i || line[j - 1] == UInt8(ascii: " ")) {
                    depth += 1
                }
                if depth > YAMLLimits.maxDepth { return (lineNumber, j + 1) }
                j += 1
            }
            if depth > YAMLLimits.maxDepth { return (lineNumber, i + 1) }
        }
        return nil
    }

    private static func syntaxDiagnostic(_ error: YamlError, file: String) -> PolicyDiagnostic {
        var line = 1, column = 1
        var problem = "\(error)"
        switch error {
        case .scanner(_, let p, let mark, _), .parser(_, let p, let mark, _), .composer(_, let p, let mark, _):
            line = mark.line; column = mark.column; problem = p
        case .duplicatedKeysInMapping(let duplicates, let context):
            line = context.mark.line; column = context.mark.column
            let keys = duplicates.joined(separator: ", ")
            return PolicyDiagnostic(code: "duplicate-id", location: SourceLocation(file: file, line: line, column: column),
                message: LocalizedText(de: "doppelter Schlüssel: \(keys)", en: "duplicate key: \(keys)"))
        default: break
        }
        problem = problem.split(separator: "\n").first.map(String.init) ?? problem
        return PolicyDiagnostic(code: "yaml-syntax", location: SourceLocation(file: file, line: line, column: column),
            message: LocalizedText(de: "YAML-Syntaxfehler: \(problem)", en: "YAML syntax error: \(problem)"))
    }
}
