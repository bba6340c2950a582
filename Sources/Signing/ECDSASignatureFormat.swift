import COpenSSL

/// Converts ECDSA P-256 signatures between OpenSSL's DER and JOSE's raw 64-byte R‖S (RFC 7518 §3.4), and
/// brings S into its low half.
///
/// ECDSA is malleable: when (R, S) verifies, so does (R, n − S). JOSE (RFC 7518) allows both, and other
/// libraries (and OpenSSL itself) produce either, so verification accepts both. What *we* sign is normalised
/// to S ≤ (n − 1) / 2, so each document ConsentGate signs has one byte form (BIP 62's "low S" rule).
enum ECDSASignatureFormat {
    /// The order n of the P-256 group (SEC 2 §2.4.2, FIPS 186-4 D.1.2.3), 32 bytes big-endian.
    static let p256Order: [UInt8] = bytes("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551")
    /// (n − 1) / 2: the largest S that counts as low.
    static let p256HalfOrder: [UInt8] = bytes("7FFFFFFF800000007FFFFFFFFFFFFFFFDE737D56D38BCF4279DCE5617E3192A8")

    private static func bytes(_ hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
    }

    /// Whether the S half of a raw 64-byte R‖S signature is at most (n − 1) / 2.
    static func isLowS(raw: [UInt8]) -> Bool {
        precondition(raw.count == 64, "a raw ES256 signature is 64 bytes")
        // Both are 32 bytes big-endian, so byte-wise order is numeric order: S ≤ half ⇔ ¬(half < S).
        return !p256HalfOrder[...].lexicographicallyPrecedes(raw[32...])
    }

    /// The raw R‖S signature with S replaced by n − S when S is in the high half; otherwise unchanged. An
    /// S of n or more (never a valid signature) is left as it is.
    static func lowS(raw: [UInt8]) -> [UInt8] {
        precondition(raw.count == 64, "a raw ES256 signature is 64 bytes")
        guard !isLowS(raw: raw), raw[32...].lexicographicallyPrecedes(p256Order[...]) else { return raw }
        var out = raw
        var borrow = 0
        for i in stride(from: 31, through: 0, by: -1) {
            let difference = Int(p256Order[i]) - Int(raw[32 + i]) - borrow
            out[32 + i] = UInt8((difference + 256) % 256)
            borrow = difference < 0 ? 1 : 0
        }
        return out
    }

    /// A DER ECDSA-Sig-Value with S in the low half: `der` itself when S is already low, else the DER of
    /// (R, n − S). Both verify for the same key and message.
    static func lowS(der: [UInt8]) throws -> [UInt8] {
        let raw = try rawFromDER(der)
        return isLowS(raw: raw) ? der : try derFromRaw(lowS(raw: raw))
    }

    /// Raw R‖S (32 bytes each, left-padded) from a DER ECDSA-Sig-Value; throws when bytes follow the value.
    static func rawFromDER(_ der: [UInt8]) throws -> [UInt8] {
        OpenSSLErrorQueue.clear()
        var consumed = 0
        let sig: OpaquePointer? = der.withUnsafeBufferPointer { buf in
            var p: UnsafePointer<UInt8>? = buf.baseAddress
            let sig = d2i_ECDSA_SIG(nil, &p, buf.count)
            if let p, let base = buf.baseAddress { consumed = p - base }
            return sig
        }
        guard let sig else { throw SigningError.drain("d2i_ECDSA_SIG") }
        defer { ECDSA_SIG_free(sig) }
        guard consumed == der.count else {
            throw SigningError.signatureInvalid(text("\(der.count - consumed) bytes after the DER ECDSA signature",
                                                     de: "\(der.count - consumed) Bytes nach der DER-ECDSA-Signatur"))
        }
        var r: OpaquePointer? = nil
        var s: OpaquePointer? = nil
        ECDSA_SIG_get0(sig, &r, &s)
        guard let r, let s else { throw SigningError.signatureInvalid(text("ECDSA signature without R or S", de: "ECDSA-Signatur ohne R oder S")) }
        var out = [UInt8](repeating: 0, count: 64)
        let okR = out.withUnsafeMutableBufferPointer { BN_bn2binpad(r, $0.baseAddress, 32) }
        let okS = out.withUnsafeMutableBufferPointer { BN_bn2binpad(s, $0.baseAddress! + 32, 32) }
        guard okR == 32, okS == 32 else { throw SigningError.signatureInvalid(text("ECDSA R or S longer than 32 bytes", de: "ECDSA-R oder -S länger als 32 Bytes")) }
        return out
    }

    /// DER ECDSA-Sig-Value from raw R‖S; throws unless exactly 64 bytes.
    static func derFromRaw(_ raw: [UInt8]) throws -> [UInt8] {
        guard raw.count == 64 else { throw SigningError.signatureInvalid(text("an ES256 signature must be 64 bytes, got \(raw.count)", de: "eine ES256-Signatur muss 64 Bytes lang sein, erhalten: \(raw.count)")) }
        OpenSSLErrorQueue.clear()
        guard let sig = ECDSA_SIG_new() else { throw SigningError.drain("ECDSA_SIG_new") }
        defer { ECDSA_SIG_free(sig) }
        let r = raw.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, 32, nil) }
        let s = raw.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress! + 32, 32, nil) }
        guard let r, let s, ECDSA_SIG_set0(sig, r, s) == 1 else {
            BN_free(r); BN_free(s)
            throw SigningError.drain("ECDSA_SIG_set0")
        }
        var out: UnsafeMutablePointer<UInt8>? = nil
        let len = i2d_ECDSA_SIG(sig, &out)
        guard len > 0, let out else { throw SigningError.drain("i2d_ECDSA_SIG") }
        defer { CRYPTO_free(out, #fileID, #line) }
        return Array(UnsafeBufferPointer(start: out, count: Int(len)))
    }
}
