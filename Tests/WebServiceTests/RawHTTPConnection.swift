#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// One TCP connection to a server on loopback that sends bytes as they are, for requests no HTTP client would send (an
/// unknown method, a header over the limit, a broken chunk), and reads everything the server answers until it closes
/// the connection (or `readTimeout` passes: a safety net against a hang, not a time limit on the server; a full test run
/// on two cores once kept a server's answer waiting more than 10 s).
enum RawHTTPConnection {
    struct Failure: Error, CustomStringConvertible { let description: String }

    /// One answer read off the connection: status, header fields (names lower-cased) and body.
    struct Answer: Sendable {
        let status: Int
        let headers: [String: String]
        let body: Data
        var json: [String: Any]? { try? JSONSerialization.jsonObject(with: body) as? [String: Any] }
        var errorCode: String? { (json?["error"] as? [String: Any])?["code"] as? String }
        var errorMessage: String? { (json?["error"] as? [String: Any])?["message"] as? String }
    }

    /// Sends `request` to 127.0.0.1:`port` and returns every answer the server wrote before closing the connection. The
    /// blocking socket calls run on a thread of their own: on the cooperative pool they could take the thread the
    /// server in the same process needs to answer.
    /// How long a read waits for the server's next bytes.
    static let readTimeoutSeconds = 120

    static func exchange(port: Int, _ request: [UInt8]) async throws -> [Answer] {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try blockingExchange(port: port, request) }) }
        }
    }

    private static func blockingExchange(port: Int, _ request: [UInt8]) throws -> [Answer] {
        // Close-on-exec: a child another test starts meanwhile must not keep this connection open.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: readTimeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(description: "connect: errno \(errno)") }
        var sent = 0
        while sent < request.count {
            // The server may answer and close before reading all of an oversized request: stop sending then.
            let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break }
            sent += n
        }
        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n == 0 || (n < 0 && errno == ECONNRESET) { break }
            guard n > 0 else { throw Failure(description: "no end of the answer within \(readTimeoutSeconds) s (errno \(errno)); read so far: \(String(decoding: received, as: UTF8.self))") }
            received += buffer[0..<n]
        }
        return try parse(received)
    }

    /// The answers in `bytes`, each framed by its Content-Length (every answer of this service has one).
    static func parse(_ bytes: [UInt8]) throws -> [Answer] {
        var answers: [Answer] = []
        var rest = bytes[...]
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        while !rest.isEmpty {
            guard let end = rest.firstRange(of: separator) else {
                throw Failure(description: "an answer without the end of its head: \(String(decoding: rest, as: UTF8.self))")
            }
            let lines = String(decoding: rest[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
            let statusWords = lines[0].split(separator: " ")
            guard statusWords.count >= 2, let status = Int(statusWords[1]) else { throw Failure(description: "status line \(lines[0])") }
            var headers: [String: String] = [:]
            for line in lines.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let length = Int(headers["content-length"] ?? "0") ?? 0
            let bodyStart = end.upperBound
            guard rest.endIndex - bodyStart >= length else { throw Failure(description: "a body shorter than its Content-Length") }
            answers.append(Answer(status: status, headers: headers, body: Data(rest[bodyStart..<(bodyStart + length)])))
            rest = rest[(bodyStart + length)...]
        }
        return answers
    }
}
