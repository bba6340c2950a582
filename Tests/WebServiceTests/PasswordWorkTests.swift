import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing
@testable import WebService

/// Page logins check the password (scrypt, ~0.3 s of CPU with the standard parameters) on a thread of their own, one at a time (`PasswordWork`):
/// found in the web review, where parallel logins under made-up names (each runs one scrypt, and the throttle counts per
/// name) held both threads of the concurrency pool and every other request waited behind them.
@Suite struct PasswordWorkTests {
    final class Counter: Sendable {
        private let value = Mutex((now: 0, most: 0, done: 0))
        func enter() { value.withLock { $0.now += 1; $0.most = max($0.most, $0.now) } }
        func leave() { value.withLock { $0.now -= 1; $0.done += 1 } }
        var most: Int { value.withLock { $0.most } }
        var done: Int { value.withLock { $0.done } }
    }

    @Test func checksRunOnTheirOwnThreadOneAtATime() async throws {
        #expect(!PasswordWork.isCurrent)
        let counter = Counter()
        let onOwnThread = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    try await PasswordWork.run {
                        counter.enter(); defer { counter.leave() }
                        Thread.sleep(forTimeInterval: 0.05)
                        return PasswordWork.isCurrent
                    }
                }
            }
            var all: [Bool] = []
            for try await r in group { all.append(r) }
            return all
        }
        #expect(onOwnThread == [true, true, true, true])
        #expect(counter.most == 1)
    }

    /// Logins with a slow scrypt (`WebFixture.slowHashing`, ~0.1 s) for names that do not exist (the decoy hash), more
    /// than the pool has threads: a request sent after them is answered while they are still being checked.
    @Test func parallelLoginsDoNotHoldTheRequestThreads() async throws {
        let fixture = try WebFixture(passwordParameters: WebFixture.slowHashing)
        defer { fixture.remove() }
        try await fixture.application().test(.router) { client in
            let form = try await client.execute(uri: "/login", method: .get)
            let anon = try #require(form.cookieValue("cg_session")), csrf = try #require(csrfToken(in: form.text))
            let logins = 2 * max(2, ProcessInfo.processInfo.activeProcessorCount) + 4
            let counter = Counter()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<logins {
                    group.addTask {
                        counter.enter(); defer { counter.leave() }
                        let r = try await client.execute(uri: "/login", method: .post,
                            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "cg_session=\(anon)"],
                            body: formEncode([("name", "nobody-\(i)"), ("password", "not the password"), ("_csrf", csrf)]))
                        #expect(r.status == .unauthorized)
                    }
                }
                try await Task.sleep(for: .milliseconds(50))
                let health = try await client.execute(uri: "/health", method: .get)
                let doneBeforeHealth = counter.done
                #expect(health.status == .ok)
                #expect(doneBeforeHealth < logins / 2, "\(doneBeforeHealth) of \(logins) logins were done before /health was answered")
                try await group.waitForAll()
            }
        }
    }
}
