import COpenSSL
import Foundation

/// Cryptographically secure random bytes from OpenSSL's DRBG.
public enum SecureRandom {
    /// `count` random bytes (none for 0). Throws `SigningError.openssl` when the generator fails.
    /// A negative count, or one above `Int32.max` (what `RAND_bytes` takes), is a programming error and stops the process
    /// with that message (no caller passes one: counts are fixed sizes of keys, salts, tokens and ids).
    public static func bytes(_ count: Int) throws -> [UInt8] {
        precondition((0...Int(Int32.max)).contains(count), "SecureRandom.bytes: count \(count) out of range 0...\(Int32.max)")
        var out = [UInt8](repeating: 0, count: count)
        guard count > 0 else { return out }
        OpenSSLErrorQueue.clear()
        let ok = out.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
        guard ok == 1 else { throw SigningError.drain("RAND_bytes") }
        return out
    }
}
