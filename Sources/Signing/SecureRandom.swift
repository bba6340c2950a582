import COpenSSL
import Foundation

/// Cryptographically secure random bytes from OpenSSL's DRBG.
public enum SecureRandom {
    /// `count` random bytes (none for 0). Throws `SigningError.openssl` when the generator fails.
    public static func bytes(_ count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        guard count > 0 else { return out }
        OpenSSLErrorQueue.clear()
        let ok = out.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
        guard ok == 1 else { throw SigningError.drain("RAND_bytes") }
        return out
    }
}
