import AuditLog
import ConsentRecords
import Diagnostics
import Dispatch
import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing
@testable import WebService

/// The `/audit` page's verification status: one full `audit verify` per two minutes at most (a view of the page
/// used to run it every time), saying when it ran and over how many entries, with a link that checks again now;
/// the API always checks afresh.
@Suite struct AuditPageVerificationTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    /// A clock the test moves.
    final class TestClock: Sendable {
        let now: Mutex<Date>
        init(_ start: Date) { now = Mutex(start) }
        func read() -> Date { now.withLock { $0 } }
        func advance(_ seconds: TimeInterval) { now.withLock { $0 += seconds } }
    }

    @Test func aResultIsReusedUntilItIsTwoMinutesOldOrACheckIsAskedFor() async throws {
        let gate = fixture.environment.gate
        let cache = VerificationCache(maxAge: 120)
        let clock = TestClock(Date(timeIntervalSince1970: 1_795_000_000))
        let first = await cache.status(gate: gate, now: clock.read)
        #expect(first.ok && first.checkedAt == clock.read())
        // The log grows (every page view appends its audit-read): within two minutes the result stands.
        try gate.auditLog.recordRead(command: "test", filters: [:], results: 0, actor: "test-dpo", signer: gate.auditSigner())
        clock.advance(119)
        let kept = await cache.status(gate: gate, now: clock.read)
        #expect(kept.checkedAt == first.checkedAt && kept.size == first.size)
        // Asked for, it runs again and sees the grown log.
        let asked = await cache.status(gate: gate, fresh: true, now: clock.read)
        #expect(asked.checkedAt == clock.read() && asked.size == first.size + 1)
        // Older than two minutes, the view still gets that result at once; the new check runs behind it, and the next
        // view shows its result.
        clock.advance(120)
        let aged = await cache.status(gate: gate, now: clock.read)
        #expect(aged.checkedAt == asked.checkedAt)
        let background = try #require(await cache.pendingResult())
        #expect(background.checkedAt == clock.read())
        let next = await cache.status(gate: gate, now: clock.read)
        #expect(next.checkedAt == background.checkedAt && next.checkedAt > asked.checkedAt)
    }

    /// A view after two minutes without one gets the last result at once, with its time, and starts the new check in
    /// the background; it does not wait for it (before 2026-12-06 it did: 6–8 s on a year's log). The check here
    /// waits for the test to let it finish, so a view that awaited it would get the new result (after the 60 s safety
    /// wait), not the old one; the test never depends on timing otherwise.
    @Test func anAgedResultIsShownAtOnceAndTheNewCheckRunsBehindIt() async throws {
        let gate = fixture.environment.gate
        let release = DispatchSemaphore(value: 0)
        let checks = Mutex(0)
        let clock = TestClock(Date(timeIntervalSince1970: 1_795_000_000))
        let cache = VerificationCache(maxAge: 120) { _ in
            let n = checks.withLock { $0 += 1; return $0 }
            // The first check (no result yet) runs through; the second waits to be released.
            if n > 1 { _ = release.wait(timeout: .now() + 60) }
            return VerificationStatus(ok: true, size: Int64(n), checkpoints: n, problem: nil, checkedAt: Date())
        }
        // No result yet: the first view waits for the check.
        let first = await cache.status(gate: gate, now: clock.read)
        #expect(first.size == 1)
        clock.advance(121)
        let aged = await cache.status(gate: gate, now: clock.read)
        #expect(aged.size == 1 && aged.checkedAt == first.checkedAt)
        // A second view meanwhile starts no second check.
        let again = await cache.status(gate: gate, now: clock.read)
        #expect(again.size == 1)
        release.signal()
        let background = try #require(await cache.pendingResult())
        #expect(background.size == 2 && background.checkedAt == clock.read())
        let later = await cache.status(gate: gate, now: clock.read)
        #expect(later.size == 2)
        #expect(checks.withLock { $0 } == 2)
    }

    /// A long check (a large log) runs on a thread of its own: views waiting for it hold none of the threads that
    /// serve requests. Before, the check ran on a request thread and the other views blocked theirs waiting for it:
    /// with more views than cores, nothing else was served. Concurrent views share one check.
    @Test func viewsWaitingForALongCheckShareOneCheckOnItsOwnThread() async throws {
        let gate = fixture.environment.gate
        let checks = Mutex(0), onCheckThread = Mutex<[Bool]>([])
        let cache = VerificationCache(maxAge: 120) { _ in
            checks.withLock { $0 += 1 }
            onCheckThread.withLock { $0.append(VerificationCache.isCheckThread) }
            Thread.sleep(forTimeInterval: 1)
            return VerificationStatus(ok: true, size: 1, checkpoints: 1, problem: nil, checkedAt: Date())
        }
        let views = max(4, 2 * ProcessInfo.processInfo.activeProcessorCount)
        let answered = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<views { group.addTask { await cache.status(gate: gate).ok } }
            var n = 0
            for await ok in group where ok { n += 1 }
            return n
        }
        #expect(answered == views)
        #expect(checks.withLock { $0 } == 1)
        #expect(onCheckThread.withLock { $0 } == [true])
        #expect(!VerificationCache.isCheckThread)
    }

    /// `serve` starts a check when it starts; the first view waits for that one instead of running its own.
    @Test func theFirstViewAfterAStartUsesTheCheckStartedWithTheServer() async throws {
        let gate = fixture.environment.gate
        let checks = Mutex(0)
        let cache = VerificationCache(maxAge: 120) { gate in
            checks.withLock { $0 += 1 }
            return VerificationStatus.check(gate: gate)
        }
        cache.warmUp(gate: gate)
        cache.warmUp(gate: gate)
        let first = await cache.status(gate: gate)
        #expect(first.ok)
        #expect(checks.withLock { $0 } == 1)
        // Asked for explicitly, it checks again.
        _ = await cache.status(gate: gate, fresh: true)
        #expect(checks.withLock { $0 } == 2)
    }

    @Test func thePageSaysWhenItCheckedAndChecksAgainOnRequestTheAPIAlwaysDoes() async throws {
        try await fixture.application().test(.router) { client in
            let token = fixture.tokens["caseworker"]!
            let grant = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(token), body: ByteBuffer(string: #"""
                {"subject": "RSK-7", "attributes": {"birth-date": "1990-01-01"}, "template": "kim-beratung", "language": "de", "clauses": ["jobcenter"]}
                """#))
            let id = try #require((grant.json["consent"] as? [String: Any])?["id"] as? String)
            #expect(try await client.execute(uri: "/v1/consents/\(id)/withdraw", method: .post, headers: bearer(token)).status == .ok)

            let dpo = try #require(try await pageLogin(client, name: "test-dpo"))
            let cookie: HTTPFields = [.cookie: "cg_session=\(dpo)"]
            let first = try await client.execute(uri: "/audit?kind=decision&lang=en", method: .get, headers: cookie)
            #expect(first.status == .ok)
            #expect(first.text.contains("data-ok=\"true\"") && first.text.contains("id=\"verified-at\""), "\(first.text)")
            // The link checks again with the filters kept.
            #expect(first.text.contains("href=\"/audit?kind=decision&amp;verify=now\"") || first.text.contains("href=\"/audit?kind=decision&verify=now\""),
                    "\(first.text)")

            // While the log verifies, the DPO's other pages carry no warning.
            for uri in ["/audit/entries/1", "/audit/stats", "/audit/report?subject=RSK-7"] {
                let shown = try await client.execute(uri: uri, method: .get, headers: cookie)
                #expect(shown.status == .ok && !shown.text.contains("verification-failed"), "\(uri): \(shown.text)")
            }

            // The withdrawal deleted from the file behind the service's back.
            try await fixture.database.writer.write { db in
                try db.execute(sql: ConsentSchema.dropAppendOnlyTriggersSQL)
                try db.execute(sql: "DELETE FROM consent_withdrawal WHERE consent_id = ?", arguments: [id])
            }
            // The API finds it at once; the finding names the consent, so the answer is logged as a read.
            let reads = { try fixture.environment.gate.auditLog.entries(matching: AuditQuery(kinds: [.auditRead], limit: nil))
                .filter { $0.entry.actor == "test-dpo" }.count }
            let readsBefore = try reads()
            let api = try await client.execute(uri: "/v1/audit/verify", method: .get, headers: bearer(fixture.tokens["dpo"]!))
            #expect(api.json["ok"] as? Bool == false)
            #expect((api.json["problem"] as? String)?.contains(id) == true)
            #expect(try reads() == readsBefore + 1)
            // The page shows the result of two minutes ago (saying when it ran) until asked to check now.
            let kept = try await client.execute(uri: "/audit?kind=decision&lang=en", method: .get, headers: cookie)
            #expect(kept.text.contains("data-ok=\"true\""))
            let again = try await client.execute(uri: "/audit?kind=decision&verify=now&lang=en", method: .get, headers: cookie)
            #expect(again.text.contains("data-ok=\"false\""))
            #expect(again.text.contains(id) && again.text.contains("id=\"verified-at\""), "\(again.text)")
            // A failure stays on the page (it does not heal by itself).
            let after = try await client.execute(uri: "/audit?lang=en", method: .get, headers: cookie)
            #expect(after.text.contains("data-ok=\"false\""))
            // An entry's page, the statistics and the Art. 15 report say so too, above what they show (they showed altered
            // content as fact: a review of the pages), in the page's language.
            for uri in ["/audit/entries/1", "/audit/stats", "/audit/report?subject=RSK-7"] {
                let de = try await client.execute(uri: uri + (uri.contains("?") ? "&" : "?") + "lang=de", method: .get, headers: cookie)
                #expect(de.text.contains("<div class=\"alert\" role=\"alert\" id=\"verification-failed\"><p>✘ Die letzte Prüfung des Protokolls ist fehlgeschlagen"), "\(uri): \(de.text)")
                #expect(de.text.contains(id), "the problem is named: \(de.text)")
                let en = try await client.execute(uri: uri + (uri.contains("?") ? "&" : "?") + "lang=en", method: .get, headers: cookie)
                #expect(en.text.contains("The last verification of the log failed") && en.text.contains("please do not use it as evidence"), "\(uri): \(en.text)")
            }
        }
    }

    /// A log that takes no entry (its newest checkpoint deleted behind the service's back, so `AppendBase` refuses the
    /// `audit-read`): the Art. 15 page still gives the report, says its read is not recorded and why, and records
    /// nothing (it answered with the integrity error alone before: an Art. 15 request has a deadline).
    @Test(arguments: [Language.de, .en])
    func theReportPageAnswersALogThatTakesNoEntry(_ language: Language) async throws {
        try await fixture.application().test(.router) { client in
            let token = fixture.tokens["caseworker"]!
            let grant = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(token), body: ByteBuffer(string: #"""
                {"subject": "RSK-7", "attributes": {"birth-date": "1990-01-01"}, "template": "kim-beratung", "language": "de", "clauses": ["jobcenter"]}
                """#))
            let id = try #require((grant.json["consent"] as? [String: Any])?["id"] as? String)
            let dpo = try #require(try await pageLogin(client, name: "test-dpo"))
            let cookie: HTTPFields = [.cookie: "cg_session=\(dpo)"]
            try await fixture.database.writer.write { db in
                try db.execute(sql: "DROP TRIGGER audit_checkpoint_no_delete")
                try db.execute(sql: "DELETE FROM audit_checkpoint WHERE tree_size = (SELECT max(tree_size) FROM audit_checkpoint)")
            }
            let size = try fixture.environment.gate.auditLog.size()
            let page = try await client.execute(uri: "/audit/report?subject=RSK-7&lang=\(language.rawValue)", method: .get, headers: cookie)
            #expect(page.status == .ok, "\(page.status): \(page.text)")
            #expect(page.text.contains("id=\"read-not-recorded\""), "\(page.text)")
            #expect(page.text.contains(language == .de ? "diese Abfrage ist darin nicht verzeichnet" : "this read is not recorded in it"), "\(page.text)")
            #expect(page.text.contains(language == .de ? "ist nicht der, den der neueste signierte Checkpoint" : "is not the tree the newest signed checkpoint"), "\(page.text)")
            // The report itself: the consent granted above, in the consents table.
            #expect(page.text.contains("id=\"report-consents\"") && page.text.contains(id), "\(page.text)")
            #expect(try fixture.environment.gate.auditLog.size() == size, "nothing appended")
            // The signed checkpoint below it, named in the page's language (the German report, which goes to the person,
            // said "Checkpoint": a review of the wording).
            #expect(page.text.contains(language == .de ? "Signierter Prüfpunkt (Checkpoint)" : "Signed checkpoint")
                    && page.text.contains(language == .de ? "beruht auf diesem signierten Prüfpunkt" : "rests on this signed checkpoint"), "\(page.text)")
        }
    }
}
