import COpenSSL
import Foundation

/// Password hashing for page logins: scrypt through libcrypto (`EVP_PBE_scrypt_ex`, which OpenSSL 3
/// implements on its `EVP_KDF` "SCRYPT" provider), a random 16-byte salt per password, and a
/// self-describing encoded string in the PHC format:
///
///     $scrypt$ln=15,r=8,p=3$<salt, base64 without padding>$<32-byte key, base64 without padding>
///
/// The parameters travel with the hash, so they can be raised later without invalidating stored
/// hashes (a page login stores a new hash of a password whose hash is `isWeaker(than:)` the standard,
/// `Gate.AccountStore.logIn`); `verify` refuses parameters outside sane bounds, so a tampered row cannot
/// make a login allocate gigabytes.
public enum PasswordHashing {
    /// The cost parameters of one scrypt hash.
    public struct Parameters: Sendable, Equatable {
        /// log2 of the CPU/memory cost N.
        public var logN: Int
        /// Block size r.
        public var r: Int
        /// Parallelism p.
        public var p: Int
        /// Parameters as given, not checked here: `hash` and `decoy` stop the process (a precondition) on values outside
        /// the bounds `verify` accepts (N from 2^10 to 2^20, r ≤ 32, p ≤ 16, at most 256 MiB and 2^22 block mixes).
        public init(logN: Int, r: Int, p: Int) { self.logN = logN; self.r = r; self.p = p }

        /// The default for new hashes, and what a page login raises a weaker stored hash to: N = 2^15, r = 8, p = 3,
        /// one of the settings the OWASP Password Storage Cheat Sheet lists as equivalent to its minimum N = 2^17, r = 8,
        /// p = 1 (N·r·p = 3·2^18 block mixes against 2^20, ~0.3 s of CPU here) with a quarter of its memory: 32 MiB per
        /// check, as OpenSSL runs the p lanes one after another over one 128·r·N buffer. Until 2026-12-05 it was p = 1,
        /// a third of this work; such hashes still verify (the parameters travel with each hash) and are replaced at
        /// their next page login (`isWeaker(than:)`).
        public static let standard = Parameters(logN: 15, r: 8, p: 3)

        /// The most memory one hash may take: 128·r·N bytes ≤ 256 MiB (`standard` takes 32 MiB).
        static let maximumMemory = 256 << 20
        /// The most work one hash may take, as N·r·p: 2^22, about 5 times `standard` (between one and two seconds here).
        /// It admits OWASP's N = 2^17, r = 8, p = 1 (2^20) and refuses what only a tampered row would ask for.
        static let maximumWork = 1 << 22

        /// Memory scrypt takes for these parameters, in 128-byte units: r·N.
        var memoryUnits: Int { r << logN }
        /// Work for these parameters, in block mixes: N·r·p.
        var work: Int { (r * p) << logN }

        /// True when a hash made with these parameters is cheaper to attack than one made with `other`: less memory
        /// (r·N) or less work (N·r·p). Parameters equal to `other`, or above it in both, are not weaker; ln=17, r=8,
        /// p=1 is not weaker than `standard` (4 times the memory, 4/3 of the work), ln=14, r=8, p=16 is (half the memory).
        public func isWeaker(than other: Parameters) -> Bool {
            memoryUnits < other.memoryUnits || work < other.work
        }

        /// True when the parameters are within what `verify` accepts: N from 2^10 to 2^20, r ≤ 32, p ≤ 16, and
        /// together at most `maximumMemory` (128·r·N bytes) and `maximumWork` (N·r·p). Each bound alone is not
        /// enough: ln=20 with r=32 asks for 4 GiB, and ln=20, r=32, p=16 for 2^29 block mixes.
        var isAcceptable: Bool {
            guard (10...20).contains(logN), (1...32).contains(r), (1...16).contains(p) else { return false }
            let n = 1 << logN
            return 128 * r * n <= Self.maximumMemory && n * r * p <= Self.maximumWork
        }

        /// The memory scrypt needs (128·r·N plus slack), passed as OpenSSL's `maxmem`.
        var memoryBound: UInt64 { UInt64(128 * r) * (UInt64(1) << UInt64(logN)) + UInt64(1 << 20) * UInt64(p) + (1 << 22) }
    }

    /// Salt length in bytes.
    static let saltLength = 16
    /// Derived key length in bytes.
    static let keyLength = 32

    /// Hashes `password` with a fresh random salt; returns the encoded string to store.
    public static func hash(_ password: String, parameters: Parameters = .standard) throws -> String {
        precondition(parameters.isAcceptable, "scrypt parameters out of range")
        let salt = try SecureRandom.bytes(saltLength)
        let key = try derive(password: password, salt: salt, parameters: parameters)
        return "$scrypt$ln=\(parameters.logN),r=\(parameters.r),p=\(parameters.p)$\(b64(salt))$\(b64(key))"
    }

    /// True when `password` matches `encoded` (as made by `hash`). A malformed or out-of-bounds
    /// encoded string is never a match. The final comparison runs in constant time.
    public static func verify(_ password: String, against encoded: String) -> Bool {
        guard let parsed = parse(encoded),
              var key = try? derive(password: password, salt: parsed.salt, parameters: parsed.parameters)
        else { return false }
        defer { Secret.wipe(&key) }
        return ConstantTime.equals(key, parsed.key)
    }

    /// A well-formed encoded hash with `parameters` that no password matches in practice (an all-zero key; finding a
    /// password for it means inverting scrypt): verifying against it costs what a real check with `parameters` costs,
    /// so a login for an unknown name takes as long as one for a known name. Built without deriving anything (no
    /// start-up cost, and no fallback string whose parameters could drift from the standard's).
    public static func decoy(parameters: Parameters) -> String {
        precondition(parameters.isAcceptable, "scrypt parameters out of range")
        let zeros = { (count: Int) in b64([UInt8](repeating: 0, count: count)) }
        return "$scrypt$ln=\(parameters.logN),r=\(parameters.r),p=\(parameters.p)$\(zeros(saltLength))$\(zeros(keyLength))"
    }

    /// The parameters an encoded hash was made with, or nil when it is not a ConsentGate scrypt hash.
    public static func parameters(of encoded: String) -> Parameters? { parse(encoded)?.parameters }

    static func parse(_ encoded: String) -> (parameters: Parameters, salt: [UInt8], key: [UInt8])? {
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0].isEmpty, parts[1] == "scrypt" else { return nil }
        var values: [String: Int] = [:]
        for item in parts[2].split(separator: ",") {
            let kv = item.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, let v = Int(kv[1]) else { return nil }
            values[String(kv[0])] = v
        }
        guard values.count == 3, let ln = values["ln"], let r = values["r"], let p = values["p"] else { return nil }
        let params = Parameters(logN: ln, r: r, p: p)
        guard params.isAcceptable, let salt = unb64(parts[3]), let key = unb64(parts[4]),
              salt.count >= 8, key.count == keyLength else { return nil }
        return (params, salt, key)
    }

    static func derive(password: String, salt: [UInt8], parameters: Parameters) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: keyLength)
        OpenSSLErrorQueue.clear()
        let ok = Secret.withUTF8(password) { pw, passLength in
            salt.withUnsafeBufferPointer { s in
                out.withUnsafeMutableBufferPointer { o in
                    EVP_PBE_scrypt_ex(pw, passLength, s.baseAddress, s.count,
                                      UInt64(1) << UInt64(parameters.logN), UInt64(parameters.r), UInt64(parameters.p),
                                      parameters.memoryBound, o.baseAddress, o.count, nil, nil)
                }
            }
        }
        guard ok == 1 else {
            Secret.wipe(&out)
            throw SigningError.drain("EVP_PBE_scrypt_ex")
        }
        return out
    }

    private static func b64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }

    private static func unb64<S: StringProtocol>(_ text: S) -> [UInt8]? {
        var s = String(text)
        guard !s.isEmpty, s.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "/" }) else { return nil }
        while s.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s).map { [UInt8]($0) }
    }
}

/// Comparison of secrets without an early exit (OpenSSL's `CRYPTO_memcmp`), so the time taken does
/// not reveal how many leading bytes matched.
public enum ConstantTime {
    /// True when both byte strings are equal. Lengths are compared first (lengths are not secret here:
    /// every compared secret has a fixed length).
    public static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return a.withUnsafeBytes { x in b.withUnsafeBytes { y in CRYPTO_memcmp(x.baseAddress, y.baseAddress, a.count) == 0 } }
    }

    /// Constant-time equality of two strings' UTF-8 bytes.
    public static func equals(_ a: String, _ b: String) -> Bool { equals(Array(a.utf8), Array(b.utf8)) }
}

/// API tokens: 32 random bytes from `SecureRandom`, shown to the person once as `cg_<base64url>`,
/// stored only as their SHA-256 (so a stolen database does not yield usable tokens; a token has
/// 256 bits of entropy, so an unsalted fast hash is enough, unlike a password).
public enum APIToken {
    /// The prefix that makes a ConsentGate token recognisable (for secret scanners and people).
    public static let prefix = "cg_"

    /// A fresh token.
    public static func generate() throws -> String { prefix + Base64URL.encode(try SecureRandom.bytes(32)) }

    /// The stored form: `sha256:<hex>` of the token's UTF-8 bytes.
    public static func digest(_ token: String) -> String { SHA256.tagged(Array(token.utf8)) }

    /// True when `token` looks like a ConsentGate token (prefix, 43 base64url characters). Checked
    /// before hashing so junk never reaches the database.
    public static func isWellFormed(_ token: String) -> Bool {
        guard token.hasPrefix(prefix) else { return false }
        let body = token.dropFirst(prefix.count)
        return body.count == 43 && body.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x2d || c == 0x5f
        }
    }
}
