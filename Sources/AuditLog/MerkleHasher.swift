import Foundation
import Signing

/// RFC 6962 / RFC 9162 §2.1.1 hashing: leaf `SHA-256(0x00 ‖ entry)`, node `SHA-256(0x01 ‖ left ‖ right)`.
///
/// Reuses one OpenSSL digest context, so it is cheap per call but not shareable: make one per task.
public final class MerkleHasher {
    private let sha = SHA256Hasher()

    /// A hasher with its own digest context; not to be shared between tasks.
    public init() {}

    /// The leaf hash of an entry's bytes.
    public func leafHash<D: ContiguousBytes>(_ entry: D) -> [UInt8] {
        sha.reset()
        sha.update(byte: 0x00)
        sha.update(entry)
        return sha.finalize()
    }

    /// The hash of an interior node.
    public func nodeHash(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        sha.reset()
        sha.update(byte: 0x01)
        sha.update(left)
        sha.update(right)
        return sha.finalize()
    }

    /// The root of the empty tree: SHA-256 of no bytes.
    public static let emptyRoot: [UInt8] = SHA256.hash([UInt8]())
}
