#if canImport(Glibc)
import Glibc
#endif
import ChildProcess
import Foundation

/// A headless Chromium driven over the DevTools protocol on `--remote-debugging-pipe` (requests to
/// fd 3, responses from fd 4, each message JSON terminated by NUL): no WebSocket client needed.
/// Every wait has a deadline; the browser is killed on `close()` (by its own pid).
///
/// The pipe is read with blocking calls (`poll`, `read`), which run on a serial queue of this browser's own and
/// are awaited: a test that blocked a thread of Swift's cooperative pool (two on a 2-core machine) while waiting
/// for the browser would take that thread from the in-process server answering the browser and from the tests
/// running in parallel, and under load everything would wait on everything. `@unchecked Sendable`: the pipe's
/// state (`buffer`, `nextID`, `sessionID`) is touched only on `queue`.
final class ChromiumPipe: @unchecked Sendable {
    /// Where Debian installs Chromium.
    static let executable = "/usr/bin/chromium"
    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: executable) }

    enum Failure: Error, CustomStringConvertible {
        case spawn(Int32), timeout(String), protocolError(String), closed
        var description: String {
            switch self {
            case let .spawn(e): "cannot start chromium (errno \(e))"
            case let .timeout(what): "chromium: timed out waiting for \(what)"
            case let .protocolError(m): "chromium DevTools error: \(m)"
            case .closed: "chromium closed the pipe"
            }
        }
    }

    private let pid: pid_t
    private let toBrowser: Int32
    private let fromBrowser: Int32
    private var buffer: [UInt8] = []
    private var nextID = 1
    private let profile: URL
    /// The page session (after `openPage`).
    private(set) var sessionID: String?
    /// Where every blocking exchange with the browser runs.
    private let queue = DispatchQueue(label: "consentgate.tests.chromium")

    init() throws {
        profile = FileManager.default.temporaryDirectory.appendingPathComponent("cg-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        var a: [Int32] = [0, 0], b: [Int32] = [0, 0]
        guard pipe(&a) == 0, pipe(&b) == 0 else {
            let error = errno
            try? FileManager.default.removeItem(at: profile)
            throw Failure.spawn(error)
        }
        // Move every end above the low fds, close-on-exec; dup2 in the child clears the flag on 3 and 4.
        func high(_ fd: Int32) -> Int32 { let n = fcntl(fd, F_DUPFD_CLOEXEC, 100); Glibc.close(fd); return n }
        let childRead = high(a[0]), parentWrite = high(a[1]), parentRead = high(b[0]), childWrite = high(b[1])
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_adddup2(&actions, childRead, 3)
        posix_spawn_file_actions_adddup2(&actions, childWrite, 4)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // Nothing else of this process lives on in the browser: the sockets of other tests' servers (NIO accepts them
        // without close-on-exec) stayed open in it, so a server closing a connection sent no FIN while a browser test
        // ran beside it (found when a full run's malformed-request tests waited for connections to end).
        if let addclosefrom = GlibcExtensions.addclosefrom { _ = addclosefrom(&actions, 5) }
        let args = [Self.executable, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--remote-debugging-pipe", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                    "--user-data-dir=\(profile.path)", "about:blank"]
        var argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) }; posix_spawn_file_actions_destroy(&actions) }
        var child: pid_t = 0
        let rc = posix_spawn(&child, Self.executable, &actions, nil, &argv, environ)
        Glibc.close(childRead); Glibc.close(childWrite)
        guard rc == 0 else {
            Glibc.close(parentWrite); Glibc.close(parentRead)
            try? FileManager.default.removeItem(at: profile)
            throw Failure.spawn(rc)
        }
        pid = child; toBrowser = parentWrite; fromBrowser = parentRead
    }

    /// Sends a command and waits (up to `timeout` seconds, off the cooperative pool) for its result.
    @discardableResult
    func send(_ method: String, _ params: [String: Any] = [:], session: Bool = true, timeout: Double = 60) async throws -> [String: Any] {
        let request = Unchecked(params)
        return try await onQueue { try self.sendBlocking(method, request.value, session: session, timeout: timeout) }
    }

    /// Runs `body` on `queue` and awaits its result.
    private func onQueue<T>(_ body: @escaping () throws -> T) async throws -> T {
        let work = Unchecked(body)
        let result: Unchecked<T> = try await withCheckedThrowingContinuation { continuation in
            queue.async {
                do { continuation.resume(returning: Unchecked(try work.value())) } catch { continuation.resume(throwing: error) }
            }
        }
        return result.value
    }

    /// `send` on the calling thread (only on `queue`, and in `close`).
    @discardableResult
    private func sendBlocking(_ method: String, _ params: [String: Any] = [:], session: Bool = true, timeout: Double = 60) throws -> [String: Any] {
        let id = nextID
        nextID += 1
        var message: [String: Any] = ["id": id, "method": method, "params": params]
        if session, let sessionID { message["sessionId"] = sessionID }
        var data = try JSONSerialization.data(withJSONObject: message)
        data.append(0)
        try data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(toBrowser, raw.baseAddress! + offset, raw.count - offset)
                guard n > 0 else { throw Failure.closed }
                offset += n
            }
        }
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let reply = try readMessage(until: deadline, what: method)
            guard reply["id"] as? Int == id else { continue } // events and other replies
            if let error = reply["error"] as? [String: Any] { throw Failure.protocolError("\(method): \(error)") }
            return reply["result"] as? [String: Any] ?? [:]
        }
    }

    /// A browser with a tab open and attached (`openPage`). On a loaded 2-core machine a fresh Chromium has been seen
    /// never to answer its first command (CI, 2026-12-03: `Target.createTarget` timed out after 60 s while the rest
    /// of the suite ran in parallel); such a browser is killed and one more is started.
    static func withPage() async throws -> ChromiumPipe {
        let first = try ChromiumPipe()
        do {
            try await first.openPage(timeout: 30)
            return first
        } catch Failure.timeout {
            first.close()
            let second = try ChromiumPipe()
            do { try await second.openPage(timeout: 60) } catch { second.close(); throw error }
            return second
        } catch {
            first.close()   // the browser and its profile folder, on any other failure too
            throw error
        }
    }

    /// Opens a tab and attaches to it (flattened session).
    func openPage(timeout: Double = 60) async throws {
        try await onQueue {
            let target = try self.sendBlocking("Target.createTarget", ["url": "about:blank"], session: false, timeout: timeout)
            guard let targetID = target["targetId"] as? String else { throw Failure.protocolError("no targetId") }
            let attached = try self.sendBlocking("Target.attachToTarget", ["targetId": targetID, "flatten": true], session: false)
            self.sessionID = attached["sessionId"] as? String
            try self.sendBlocking("Page.enable")
            try self.sendBlocking("Runtime.enable")
        }
    }

    /// Evaluates JavaScript in the page; returns the value (by value).
    @discardableResult
    func evaluate(_ expression: String) async throws -> Any? {
        let r = try await send("Runtime.evaluate", ["expression": expression, "returnByValue": true, "awaitPromise": true])
        if let exception = r["exceptionDetails"] { throw Failure.protocolError("exception in \(expression): \(exception)") }
        return (r["result"] as? [String: Any])?["value"]
    }

    /// Polls `condition` (a JavaScript boolean expression) until true or the deadline.
    func wait(for condition: String, timeout: Double = 60) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if (try? await evaluate("document.readyState === 'complete' && (\(condition))")) as? Bool == true { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        let state = (try? await evaluate("location.href + ' | ' + document.body.innerText.slice(0, 400)")) as? String ?? "?"
        throw Failure.timeout("\(condition) (page: \(state))")
    }

    /// Chooses the file at `path` in the page's file input `selector` (as a person picking it in the file dialog).
    func chooseFile(_ path: String, for selector: String) async throws {
        let doc = try await send("DOM.getDocument")
        guard let root = (doc["root"] as? [String: Any])?["nodeId"] as? Int else { throw Failure.protocolError("no document: \(doc)") }
        let node = try await send("DOM.querySelector", ["nodeId": root, "selector": selector])
        guard let id = node["nodeId"] as? Int, id != 0 else { throw Failure.protocolError("no \(selector) in the page") }
        try await send("DOM.setFileInputFiles", ["files": [path], "nodeId": id])
    }

    /// Navigates and waits for the document to be complete at a URL starting with `url`.
    func navigate(_ url: String) async throws {
        try await send("Page.navigate", ["url": url])
        try await wait(for: "location.href.startsWith(\(Self.js(url)))")
    }

    /// Logs in through the login form of the service at `base` (filled in by script, not typed: the keyboard
    /// path has a test of its own) and waits for the start page.
    func logIn(at base: String, name: String, password: String) async throws {
        try await navigate("\(base)/login")
        try await evaluate("document.getElementById('name').value = \(Self.js(name)); document.getElementById('password').value = \(Self.js(password)); document.getElementById('login-form').submit(); true")
        try await wait(for: "location.pathname === '/'")
    }

    /// Presses a key (keyDown + keyUp) as a keyboard would.
    func press(key: String, code: String, keyCode: Int, text: String? = nil) async throws {
        var down: [String: Any] = ["type": "keyDown", "key": key, "code": code, "windowsVirtualKeyCode": keyCode]
        if let text { down["text"] = text }
        try await send("Input.dispatchKeyEvent", down)
        try await send("Input.dispatchKeyEvent", ["type": "keyUp", "key": key, "code": code, "windowsVirtualKeyCode": keyCode])
    }

    /// Types text into the focused element.
    func type(_ text: String) async throws { try await send("Input.insertText", ["text": text]) }

    /// The serialized DOM.
    func html() async throws -> String { try await evaluate("document.documentElement.outerHTML") as? String ?? "" }

    /// A JavaScript string literal.
    static func js(_ s: String) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: [s]), as: UTF8.self).dropFirst().dropLast().description
    }

    /// Closes the browser (from a `defer`, so synchronously, after the last awaited command has finished).
    func close() {
        _ = queue.sync { try? sendBlocking("Browser.close", session: false, timeout: 3) }
        var status: Int32 = 0
        for _ in 0..<30 where waitpid(pid, &status, WNOHANG) == 0 { usleep(100_000) }
        if waitpid(pid, &status, WNOHANG) == 0 { kill(pid, SIGKILL); waitpid(pid, &status, 0) }
        Glibc.close(toBrowser); Glibc.close(fromBrowser)
        try? FileManager.default.removeItem(at: profile)
    }

    private func readMessage(until deadline: Date, what: String) throws -> [String: Any] {
        while true {
            if let nul = buffer.firstIndex(of: 0) {
                let message = Array(buffer[..<nul])
                buffer.removeFirst(nul + 1)
                return (try JSONSerialization.jsonObject(with: Data(message))) as? [String: Any] ?? [:]
            }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { throw Failure.timeout(what) }
            var fds = pollfd(fd: fromBrowser, events: Int16(POLLIN), revents: 0)
            let ready = poll(&fds, 1, Int32(min(remaining, 1) * 1000))
            if ready <= 0 { continue }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = read(fromBrowser, &chunk, chunk.count)
            guard n > 0 else { throw Failure.closed }
            buffer.append(contentsOf: chunk[..<n])
        }
    }
}

/// A value handed between the test's task and the browser's queue, which never touch it at the same time.
private struct Unchecked<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

