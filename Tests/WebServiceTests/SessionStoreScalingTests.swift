import Foundation
import Testing
@testable import WebService

/// `SessionStore`: creating a session costs the same however many there are, and the cap on anonymous sessions still
/// holds, dropping the oldest created. Found in the web review: every creation filtered the whole table and, at the cap,
/// sorted every anonymous session, so `GET /login` without a cookie in a loop (anyone can) kept the actor every page
/// request passes through busy sorting 10,000 sessions per request.
@Suite struct SessionStoreScalingTests {
    @Test func theCapDropsTheOldestAnonymousSessionsOnly() async throws {
        let store = SessionStore(idleTimeout: 1800, lifetime: 36_000, maxAnonymous: 100)
        let user = try await store.create(accountName: "someone")
        var ids: [String] = []
        for _ in 0..<250 { ids.append(try await store.create(accountName: nil).id) }
        #expect(await store.anonymousSessions == 100)
        #expect(await store.count == 101)
        #expect(await store.session(id: ids[0]) == nil)
        #expect(await store.session(id: ids[149]) == nil)
        #expect(await store.session(id: ids[150]) != nil)
        #expect(await store.session(id: ids[249]) != nil)
        #expect(await store.session(id: user.id) != nil, "a logged-in session never counts against the cap")
        await store.remove(id: ids[200])
        #expect(await store.anonymousSessions == 99)
    }

    /// A session used without pause still ends at its absolute lifetime, however short its idle gaps (found by mutation
    /// testing, session 35: the lifetime could be dropped with every test passing, leaving a stolen cookie kept alive
    /// for ever by regular requests).
    @Test func anActiveSessionEndsAtItsLifetime() async throws {
        let store = SessionStore(idleTimeout: 600, lifetime: 3600, maxAnonymous: 10)
        let start = Date()
        let s = try await store.create(accountName: "someone", now: start)
        for minute in stride(from: 5, to: 60, by: 5) {
            #expect(await store.session(id: s.id, now: start.addingTimeInterval(Double(minute) * 60)) != nil, "used every five minutes: alive at \(minute)")
        }
        #expect(await store.session(id: s.id, now: start.addingTimeInterval(3599)) != nil)
        #expect(await store.session(id: s.id, now: start.addingTimeInterval(3600)) == nil, "ended at its lifetime although used a second ago")
    }

    @Test func expiredSessionsAreStillSweptAndRefused() async throws {
        let store = SessionStore(idleTimeout: 60, lifetime: 3600, maxAnonymous: 10)
        let old = try await store.create(accountName: nil, now: Date().addingTimeInterval(-600))
        #expect(await store.session(id: old.id) == nil, "expired at its look-up")
        _ = try await store.create(accountName: "a", now: Date().addingTimeInterval(-600))
        _ = try await store.create(accountName: nil)
        #expect(await store.count == 1, "the expired logged-in session was swept")
    }

    @Test func creatingPastTheCapStaysCheap() async throws {
        let store = SessionStore(idleTimeout: 1800, lifetime: 36_000)   // the production cap, 10,000
        let clock = ContinuousClock()
        let elapsed = try await clock.measure {
            for _ in 0..<20_000 { _ = try await store.create(accountName: nil) }
        }
        #expect(await store.anonymousSessions == 10_000)
        // About 0.4 s alone in a debug build; the old store took over 150 s.
        #expect(elapsed < .seconds(30), "20,000 anonymous sessions took \(elapsed)")
    }
}
