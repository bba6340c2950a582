import Foundation

/// Base64url without padding (RFC 4648 §5), as JOSE uses it.
///
/// Decoding is canonical: every byte string has exactly one accepted text. Besides padding, white space and
/// characters outside the alphabet, it refuses a length of 4k + 1 characters and non-zero unused low bits in
/// the last character (RFC 4648 §3.5). Without that last rule, `…Q` and `…R` would decode to the same bytes,
/// so one signed document would have several byte forms (different digests, cache keys and evidence).
public enum Base64URL {
    /// Why a text is not canonical unpadded base64url.
    public enum DecodingError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The character at `offset` (counted in UTF-8 bytes) is not in the base64url alphabet (this includes
        /// padding `=`, white space and the standard alphabet's `+` and `/`).
        case invalidCharacter(offset: Int)
        /// The text has 4k + 1 characters, which no byte string encodes to.
        case invalidLength(Int)
        /// The last character's unused low bits are not zero: the bytes decode, but their canonical encoding
        /// is a different text.
        case nonZeroTrailingBits

        /// A short English explanation (for logs and tests).
        public var description: String {
            switch self {
            case let .invalidCharacter(offset): return "character at offset \(offset) is not in the base64url alphabet"
            case let .invalidLength(count): return "\(count) characters is not a possible base64url length"
            case .nonZeroTrailingBits: return "the last character has non-zero unused bits"
            }
        }
    }

    /// Encodes bytes as unpadded base64url.
    public static func encode<D: ContiguousBytes>(_ data: D) -> String {
        let b = data.withUnsafeBytes { Data($0) }
        return b.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes canonical unpadded base64url; nil when `decodeCanonical` would throw.
    public static func decode(_ text: String) -> [UInt8]? {
        try? decodeCanonical(text)
    }

    /// Decodes canonical unpadded base64url, so that `encode(decodeCanonical(t)) == t` for every accepted `t`.
    public static func decodeCanonical(_ text: String) throws(DecodingError) -> [UInt8] {
        let utf8 = text.utf8
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count * 3 / 4)
        var accumulator: UInt32 = 0
        var pendingBits = 0
        for (offset, c) in utf8.enumerated() {
            guard let sextet = value(of: c) else { throw .invalidCharacter(offset: offset) }
            accumulator = (accumulator << 6) | UInt32(sextet)
            pendingBits += 6
            if pendingBits >= 8 {
                pendingBits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(pendingBits)))
                accumulator &= (1 << UInt32(pendingBits)) - 1
            }
        }
        // 4k characters leave 0 bits, 4k+2 leave 4 and 4k+3 leave 2; 4k+1 leaves 6 (not a whole byte).
        guard pendingBits < 6 else { throw .invalidLength(utf8.count) }
        guard accumulator == 0 else { throw .nonZeroTrailingBits }
        return out
    }

    /// The 6-bit value of a base64url character, nil outside `A–Z a–z 0–9 - _`.
    private static func value(of c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return c - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return c - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0") + 52
        case UInt8(ascii: "-"): return 62
        case UInt8(ascii: "_"): return 63
        default: return nil
        }
    }
}
