import Diagnostics

/// Whether the bytes of a detached signature file have the form `keys sign` and CONTRACTS §7 give one (Ed25519: 64 raw
/// bytes; P-256: a DER ECDSA-Sig-Value), so a file of the wrong form (a signature saved as base64 or hex text, a raw
/// R‖S from a JOSE library, an empty file) is named as that, not as a signature that "does not verify", which tells a
/// partner the data were altered (a review found all three said so).
enum DetachedSignatureShape {
    /// Why `bytes` cannot be a detached `algorithm` signature, or nil when their form fits.
    static func problem(_ bytes: [UInt8], algorithm: SignatureAlgorithm) -> LocalizedText? {
        let n = bytes.count
        let hint = looksLikeText(bytes)
            ? LocalizedText(de: "; die Datei ist Text (Base64 oder Hex?): die Signatur ist binär, bitte dekodiert speichern",
                            en: "; the file is text (base64 or hex?): the signature is binary, please save it decoded")
            : bytes.last == 0x0A
            ? LocalizedText(de: "; die Datei endet mit einem Zeilenumbruch (von einem Editor angefügt?), der nicht zur Signatur gehört",
                            en: "; the file ends with a line break (added by an editor?), which is no part of the signature")
            : LocalizedText(de: "", en: "")
        switch algorithm {
        case .ed25519:
            guard n != 64 else { return nil }
            return LocalizedText(de: "keine Ed25519-Signatur: \(n) Bytes, erwartet genau 64 Bytes\(hint.de)",
                                 en: "not an Ed25519 signature: \(n) bytes, expected exactly 64 bytes\(hint.en)")
        case .p256:
            // SEQUENCE { INTEGER r, INTEGER s }, each 1–33 bytes: 8 to 72 bytes, the length byte saying the rest.
            if n >= 8, n <= 72, bytes[0] == 0x30, Int(bytes[1]) == n - 2, bytes[2] == 0x02 { return nil }
            // Of a size that fits, what in the frame is wrong (the size alone was named, and was in range: consent review L5).
            let frame: LocalizedText? = n < 8 || n > 72 || !hint.en.isEmpty ? nil
                : bytes[0] != 0x30 ? LocalizedText(de: "; beginnt nicht mit einer DER-SEQUENCE (0x30)", en: "; does not begin with a DER SEQUENCE (0x30)")
                : Int(bytes[1]) != n - 2 ? LocalizedText(de: "; die DER-Länge nennt \(Int(bytes[1]) + 2) Bytes, die Datei hat \(n)",
                                                         en: "; its DER length says \(Int(bytes[1]) + 2) bytes, the file has \(n)")
                : LocalizedText(de: "; das erste Element ist kein INTEGER (0x02)", en: "; its first element is not an INTEGER (0x02)")
            let raw = n == 64 && !looksLikeText(bytes) && bytes[0] != 0x30
                ? LocalizedText(de: "; 64 Bytes ohne DER-Rahmen: R‖S im JOSE-Format, oder eine Ed25519-Signatur, mit dem falschen --key geprüft",
                                en: "; 64 bytes without DER framing: R‖S in the JOSE form, or an Ed25519 signature checked with the wrong --key")
                : frame.map { f in LocalizedText(de: f.de + hint.de, en: f.en + hint.en) } ?? hint
            return LocalizedText(de: "keine P-256-Signatur im DER-Format (ECDSA-Sig-Value, 8 bis 72 Bytes): \(n) Bytes\(raw.de)",
                                 en: "not a P-256 signature in DER form (ECDSA-Sig-Value, 8 to 72 bytes): \(n) bytes\(raw.en)")
        }
    }

    /// True when every byte is a base64, base64url or hex character or white space: a signature written as text.
    private static func looksLikeText(_ bytes: [UInt8]) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy { b in
            (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b)
                || b == 0x2B || b == 0x2F || b == 0x3D || b == 0x2D || b == 0x5F || b == 0x0A || b == 0x0D || b == 0x20
        }
    }
}
