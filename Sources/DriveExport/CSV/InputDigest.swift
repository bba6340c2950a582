import Signing

/// The SHA-256 of an input file, streamed in 256 KiB chunks through `Signing.SHA256Hasher` (the file is
/// never loaded whole). `CSVRecordReader.inputSHA256` gives the same value as a by-product of reading;
/// use this when the digest is needed without reading the records (e.g. `--dry-run` bookkeeping).
public enum InputDigest {
    /// Lower-case hex SHA-256 of the file at `path`, as `sha256sum` prints it.
    public static func sha256Hex(ofFile path: String) throws -> String {
        let source = try FileByteSource(path: path)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 18, alignment: 16)
        defer { buffer.deallocate() }
        let hasher = SHA256Hasher()
        while true {
            let n = try source.read(into: buffer)
            if n == 0 { break }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
        return Hex.encode(hasher.finalize())
    }
}
