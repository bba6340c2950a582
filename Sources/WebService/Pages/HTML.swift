import Diagnostics
/// A piece of HTML markup. Interpolated strings are escaped unless they are `HTML` themselves, so
/// escaping is the default everywhere and raw markup has to be asked for by type.
///
///     let name = "<script>"
///     let h: HTML = "<p>\(name)</p>"   // <p>&lt;script&gt;</p>
public struct HTML: Sendable, Equatable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The markup.
    public private(set) var markup: String

    /// Trusted markup, as is. Only for constant markup written in this module.
    public init(raw: String) { markup = raw }
    /// A string literal, taken as markup unescaped: literals are written in this module, never user input.
    public init(stringLiteral value: String) { markup = value }
    /// The result of an interpolated literal: the literal parts as markup, the interpolated values escaped unless `HTML`.
    public init(stringInterpolation: StringInterpolation) { markup = stringInterpolation.out }

    public var description: String { markup }

    /// Empty markup.
    public static let empty = HTML(raw: "")

    /// Concatenates pieces of markup.
    public static func join(_ parts: [HTML], separator: String = "") -> HTML {
        HTML(raw: parts.map(\.markup).joined(separator: separator))
    }

    /// Escapes `&`, `<`, `>`, `"` and `'` (safe in text and in quoted attribute values).
    public static func escape(_ text: String) -> String { HTMLEscaping.escape(text) }

    /// Interpolation that escapes strings and passes `HTML` through.
    public struct StringInterpolation: StringInterpolationProtocol {
        var out = ""
        /// Starts an empty result, reserving room for the literal parts and their interpolations.
        public init(literalCapacity: Int, interpolationCount: Int) { out.reserveCapacity(literalCapacity * 2) }
        /// A literal part, kept as markup.
        public mutating func appendLiteral(_ literal: String) { out += literal }
        /// Text, escaped.
        public mutating func appendInterpolation(_ text: String) { out += HTML.escape(text) }
        /// Optional text, escaped; nil adds nothing.
        public mutating func appendInterpolation(_ text: String?) { out += HTML.escape(text ?? "") }
        /// Markup, kept as it is.
        public mutating func appendInterpolation(_ html: HTML) { out += html.markup }
        /// Pieces of markup, kept as they are, without separator.
        public mutating func appendInterpolation(_ parts: [HTML]) { out += parts.map(\.markup).joined() }
        /// A number in decimal digits (needs no escaping).
        public mutating func appendInterpolation(_ number: Int) { out += String(number) }
    }
}
