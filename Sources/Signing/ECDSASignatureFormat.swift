import COpenSSL

/// Converts ECDSA P-256 signatures between OpenSSL's DER and JOSE's raw 64-byte R‖S (RFC 7518 §3.4).
enum ECDSASignatureFormat {
    /// Raw R‖S (32 bytes each, left-padded) from a DER ECDSA-Sig-Value.
    static func rawFromDER(_ der: [UInt8]) throws -> [UInt8] {
        let sig: OpaquePointer? = der.withUnsafeBufferPointer { buf in
            var p: UnsafePointer<UInt8>? = buf.baseAddress
            return d2i_ECDSA_SIG(nil, &p, buf.count)
        }
        guard let sig else { throw SigningError.drain("d2i_ECDSA_SIG") }
        defer { ECDSA_SIG_free(sig) }
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
