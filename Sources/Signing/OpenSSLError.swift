import COpenSSL

/// One entry of OpenSSL's thread-local error queue.
public struct OpenSSLErrorEntry: Sendable, Equatable, CustomStringConvertible {
    /// The packed OpenSSL error code.
    public let code: UInt
    /// OpenSSL's own text for the code ("bad decrypt", ...).
    public let reason: String
    /// The OpenSSL source file that raised it, for bug reports.
    public let file: String
    /// The line in `file`.
    public let line: Int

    /// `reason (file:line)`.
    public var description: String { "\(reason) (\(file):\(line))" }
}

/// Reads and clears OpenSSL's thread-local error queue, so no stale entry leaks into a later error.
///
/// The rule in this module: every operation whose failure is reported with `SigningError.drain` first calls
/// `clear()`, so the drained entries are its own and never an earlier one's (left by another library that shares
/// libcrypto in this process, e.g. libcurl under FoundationNetworking, on the same thread). The queue is per thread
/// and Swift tasks move between threads only at `await`, so clear, call and drain run synchronously, with no
/// suspension point in between; no function in this module is `async`.
enum OpenSSLErrorQueue {
    /// Every queued entry, oldest first; the queue is empty afterwards.
    static func drain() -> [OpenSSLErrorEntry] {
        var entries: [OpenSSLErrorEntry] = []
        while true {
            var file: UnsafePointer<CChar>? = nil
            var line: Int32 = 0
            let code = ERR_get_error_all(&file, &line, nil, nil, nil)
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let reason = ERR_reason_error_string(code).map { String(cString: $0) } ?? text
            entries.append(OpenSSLErrorEntry(code: code, reason: reason,
                                             file: file.map { String(cString: $0) } ?? "?", line: Int(line)))
        }
        return entries
    }

    /// Discards every queued entry.
    static func clear() { ERR_clear_error() }
}

extension SigningError {
    /// Drains OpenSSL's error queue into an `.openssl` error for `operation`.
    static func drain(_ operation: String) -> SigningError {
        .openssl(operation: operation, entries: OpenSSLErrorQueue.drain())
    }
}
