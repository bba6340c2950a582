import Foundation
import Signing

/// A SHA-256 digest held inline in four words: no heap allocation per hash, unlike `[UInt8]`. The hot
/// loops (`verify`, `append`) hash millions of leaves and nodes, where array allocation cost as much as
/// the hashing. The bytes are the digest in order (the words are only storage).
struct Digest32: Equatable, Sendable {
    private var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0

    /// All zero bytes.
    init() {}

    /// The digest in `bytes`, which must hold exactly 32 bytes.
    init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 32, let base = bytes.baseAddress else { return nil }
        withUnsafeMutableBytes(of: &self) { $0.baseAddress!.copyMemory(from: base, byteCount: 32) }
    }

    /// The digest in a 32-byte array (nil for any other length).
    init?(_ bytes: [UInt8]) {
        guard let d = bytes.withUnsafeBytes({ Digest32($0) }) else { return nil }
        self = d
    }

    /// The digest as a new array (for the public `[UInt8]` APIs).
    var bytes: [UInt8] { withUnsafeBytes(of: self) { Array($0) } }

    /// Whether `raw` holds exactly these 32 bytes.
    func matches(_ raw: UnsafeRawBufferPointer) -> Bool {
        guard raw.count == 32, let base = raw.baseAddress else { return false }
        return withUnsafeBytes(of: self) { memcmp($0.baseAddress!, base, 32) == 0 }
    }
}

/// RFC 6962 leaf and node hashes into `Digest32` values, through one reused OpenSSL context and without
/// allocating: the same hashes as `MerkleHasher`, for the hot loops. One per task (not shareable).
final class InlineMerkleHasher {
    private let sha = SHA256BufferHasher()

    /// `SHA-256(0x00 ‖ entry)`.
    func leaf(_ entry: UnsafeRawBufferPointer) -> Digest32 {
        var d = Digest32()
        withUnsafeMutableBytes(of: &d) { sha.hash(prefix: 0x00, entry, into: $0) }
        return d
    }

    /// `SHA-256(0x01 ‖ left ‖ right)`.
    func node(_ left: Digest32, _ right: Digest32) -> Digest32 {
        var pair = (left, right)
        var d = Digest32()
        withUnsafeBytes(of: &pair) { p in withUnsafeMutableBytes(of: &d) { sha.hash(prefix: 0x01, p, into: $0) } }
        return d
    }

    /// The root of the empty tree: SHA-256 of no bytes.
    static let emptyRoot = Digest32(MerkleHasher.emptyRoot)!
}
