import COpenSSL

/// Short-lived copies of secrets (passphrases, passwords, derived keys), wiped with `OPENSSL_cleanse` when done.
///
/// A Swift `String` cannot be wiped, so the caller's passphrase itself stays in memory as long as the caller keeps
/// it; what this removes are the extra copies this module makes to hand a secret to OpenSSL.
enum Secret {
    /// Runs `body` with a NUL-terminated copy of `string`'s UTF-8 bytes and their count (without the NUL); the copy
    /// is wiped afterwards on every path.
    static func withUTF8<R>(_ string: String, _ body: (UnsafePointer<CChar>, Int) throws -> R) rethrows -> R {
        var bytes = [CChar](repeating: 0, count: string.utf8.count + 1)
        defer { wipe(&bytes) }
        return try bytes.withUnsafeMutableBufferPointer { buffer in
            var i = 0
            for byte in string.utf8 { buffer[i] = CChar(bitPattern: byte); i += 1 }
            return try body(UnsafePointer(buffer.baseAddress!), i)
        }
    }

    /// Overwrites `bytes` with zeros in place (`OPENSSL_cleanse`, which the optimiser may not remove).
    static func wipe<T: FixedWidthInteger>(_ bytes: inout [T]) {
        bytes.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress, raw.count > 0 else { return }
            OPENSSL_cleanse(base, raw.count)
        }
    }
}
