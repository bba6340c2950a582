import Signing
import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing
@testable import WebService

/// Which routes run on `LongWork`'s lanes and which do not. With the service's one lane held, the export dry run and
/// the passes over the audit log (filtered listings, statistics, verification, proofs; the API and the pages) wait for
/// it, while a login, a referral check, the checkpoint, one entry and a person's report are answered at once; let go,
/// the waiting ones answer too. `/metrics` shows the lane running and the queue waiting.
@Suite struct LongWorkRoutesTests {
    /// A request started in a task of its own: `status` is set once it has been answered.
    final class Pending: Sendable {
        let name: String
        private let answered = Mutex<HTTPResponse.Status?>(nil)
        var status: HTTPResponse.Status? { answered.withLock { $0 } }
        init(_ name: String) { self.name = name }
        func answer(_ s: HTTPResponse.Status) { answered.withLock { $0 = s } }
    }

    @Test func longReadsWaitForTheLaneShortOnesDoNot() async throws {
        let f = try ExportRouteTests.ExportFixture(longWorkLanes: 1)
        defer { f.remove() }
        let longWork = f.web.environment.longWork
        #expect(longWork.count == 1)
        let dpo = f.web.tokens["dpo"]!
        try await f.web.application().test(.router) { client in
            // A decision first, so the log has a disclosure-free entry to read back and to prove.
            let decision = try await client.execute(uri: "/v1/decisions", method: .post, headers: jsonHeaders(f.web.tokens["caseworker"]!),
                body: ByteBuffer(string: #"{"subject": "RSK-2022-000901", "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"]}"#))
            try #require(decision.status == .ok, "\(decision.text)")
            let size = try f.web.environment.gate.auditLog.size()
            try #require(size >= 2)
            let cookie: HTTPFields = [.cookie: "cg_session=\(try #require(try await pageLogin(client, name: "test-dpo")))"]

            let held = DispatchSemaphore(value: 0), holding = LongWorkTests.Box()
            let holder = Task { try await longWork.run { holding.flag.store(true, ordering: .releasing); held.wait() } }
            try #require(try await LongWorkTests.eventually(within: LongWorkTests.soon) { holding.value })

            let long: [(String, HTTPRequest.Method, HTTPFields, ByteBuffer?)] = [
                ("/v1/exports/dry-run", .post, jsonHeaders(f.token), try ExportRouteTests.body(ExportRouteTests.sampleRequest)),
                ("/v1/audit/entries?partner=jobcenter", .get, bearer(dpo), nil),
                ("/v1/audit/stats", .get, bearer(dpo), nil),
                ("/v1/audit/verify", .get, bearer(dpo), nil),
                ("/v1/audit/proofs/inclusion?index=0", .get, bearer(dpo), nil),
                ("/v1/audit/proofs/consistency?from=1&to=\(size)", .get, bearer(dpo), nil),
                ("/audit?partner=jobcenter", .get, cookie, nil),
                ("/audit/stats", .get, cookie, nil),
            ]
            var waiting: [(Pending, Task<Void, any Error>)] = []
            for (uri, method, headers, body) in long {
                let pending = Pending(uri)
                waiting.append((pending, Task {
                    let r = try await client.execute(uri: uri, method: method, headers: headers, body: body)
                    pending.answer(r.status)
                }))
                // Each queues for the lane before the next is sent.
                let queued = waiting.count
                #expect(try await LongWorkTests.eventually(within: LongWorkTests.soon) { longWork.waiting == queued }, "\(uri) waits for the lane")
            }

            // Short requests are answered while the lane is held.
            let short: [(String, HTTPRequest.Method, HTTPFields, ByteBuffer?)] = [
                ("/v1/audit/checkpoint", .get, bearer(dpo), nil),
                ("/v1/audit/entries/0", .get, bearer(dpo), nil),
                ("/v1/audit/report/RSK-2022-000901", .get, bearer(dpo), nil),
                ("/v1/decisions", .post, jsonHeaders(f.web.tokens["caseworker"]!),
                 ByteBuffer(string: #"{"subject": "RSK-2022-000901", "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"]}"#)),
                ("/audit/report?subject=RSK-2022-000901", .get, cookie, nil),
            ]
            for (uri, method, headers, body) in short {
                let r = try await client.execute(uri: uri, method: method, headers: headers, body: body)
                #expect(r.status == .ok, "\(uri): \(r.status) \(r.text.prefix(300))")
            }
            #expect(try await pageLogin(client, name: "test-exporter") != nil, "a page login while the lane is held")
            for (pending, _) in waiting { #expect(pending.status == nil, "\(pending.name) was answered while the lane was held") }
            #expect(longWork.waiting == long.count)
            // Monitoring sees the queue.
            let metrics = try await client.execute(uri: "/metrics", method: .get).text
            #expect(metrics.contains("\nconsentgate_long_work_running 1\n"), "\(metrics)")
            #expect(metrics.contains("\nconsentgate_long_work_waiting \(long.count)\n"), "\(metrics)")

            held.signal()
            try await holder.value
            for (pending, task) in waiting {
                try await task.value
                #expect(pending.status == .ok, "\(pending.name): \(String(describing: pending.status))")
            }
            #expect(longWork.waiting == 0 && longWork.running == 0)
            let after = try await client.execute(uri: "/metrics", method: .get).text
            #expect(after.contains("\nconsentgate_long_work_running 0\n") && after.contains("\nconsentgate_long_work_waiting 0\n"))
        }
    }

    /// An export run started while the lane is taken is `queued` (API and store) until the lane is free, then runs to
    /// its end with `began-at`. With the queue full, long work is refused at once: 503 `busy` with `Retry-After` (JSON
    /// on the API, an error page on the pages), and a refused export run leaves no run behind.
    @Test(.timeLimit(.minutes(30))) func anExportRunQueuesAndAFullQueueIsRefused() async throws {
        let f = try ExportRouteTests.ExportFixture(longWorkLanes: 1, longWorkWaitingLimit: 1)
        defer { f.remove() }
        let longWork = f.web.environment.longWork
        let dpo = f.web.tokens["dpo"]!
        let store = ExportRunStore(database: f.web.environment.gate.database)
        try await f.web.application().test(.router) { client in
            let cookie: HTTPFields = [.cookie: "cg_session=\(try #require(try await pageLogin(client, name: "test-dpo")))"]
            let held = DispatchSemaphore(value: 0), holding = LongWorkTests.Box()
            let holder = Task { try await longWork.run { holding.flag.store(true, ordering: .releasing); held.wait() } }
            try #require(try await LongWorkTests.eventually(within: LongWorkTests.soon) { holding.value })

            let started = try await client.execute(uri: "/v1/exports", method: .post, headers: jsonHeaders(f.token),
                                                   body: try ExportRouteTests.body(ExportRouteTests.sampleRequest))
            #expect(started.status == .accepted, "\(started.text)")
            let id = try #require(started.json["id"] as? String)
            #expect(started.json["state"] as? String == "queued")
            #expect(started.json["began-at"] == nil)
            #expect(try await LongWorkTests.eventually(within: LongWorkTests.soon) { longWork.waiting == 1 })
            let status = try await client.execute(uri: "/v1/exports/\(id)", method: .get, headers: bearer(f.token)).json
            #expect(status["state"] as? String == "queued" && status["began-at"] == nil, "\(status)")
            #expect(try store.run(id: id)?.state == "queued")

            // The queue (one place) is full: every long route is refused at once, nothing is started.
            let refused: [(String, HTTPRequest.Method, HTTPFields, ByteBuffer?)] = [
                ("/v1/exports", .post, jsonHeaders(f.token), try ExportRouteTests.body(ExportRouteTests.sampleRequest)),
                ("/v1/exports/dry-run", .post, jsonHeaders(f.token), try ExportRouteTests.body(ExportRouteTests.sampleRequest)),
                ("/v1/audit/stats?lang=en", .get, bearer(dpo), nil),
                ("/v1/audit/verify", .get, bearer(dpo), nil),
            ]
            for (uri, method, headers, body) in refused {
                let r = try await client.execute(uri: uri, method: method, headers: headers, body: body)
                #expect(r.status == .serviceUnavailable, "\(uri): \(r.status) \(r.text.prefix(300))")
                #expect(r.headers[.retryAfter] == "30", "\(uri)")
                let error = r.json["error"] as? [String: Any]
                #expect(error?["code"] as? String == "busy", "\(uri): \(r.text)")
                let message = error?["message"] as? String ?? ""
                #expect(message.contains(uri.contains("lang=en") ? "1 running, 1 waiting" : "1 laufen, 1 warten"), "\(uri): \(message)")
            }
            let page = try await client.execute(uri: "/audit/stats", method: .get, headers: cookie)
            #expect(page.status == .serviceUnavailable && page.headers[.retryAfter] == "30")
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page.text.contains("Der Dienst ist mit langen Arbeiten ausgelastet"), "\(page.text.prefix(2000))")
            #expect(await f.web.environment.exportRuns.count == 1, "the refused run is not registered")
            #expect(try store.recentIDs(limit: 10) == [id])
            #expect(longWork.waiting == 1)

            held.signal()
            try await holder.value
            let final = try await ExportRouteTests.statusWhenEnded(client, id: id, token: f.token)
            #expect(final["state"] as? String == "succeeded", "\(final)")
            let startedAt = try #require((final["started-at"] as? String).flatMap(RFC3339.parse))
            let beganAt = try #require((final["began-at"] as? String).flatMap(RFC3339.parse), "\(final)")
            let finishedAt = try #require((final["finished-at"] as? String).flatMap(RFC3339.parse))
            #expect(startedAt <= beganAt && beganAt <= finishedAt)
            #expect(try store.run(id: id)?.beganAt != nil)
            // Places are free again.
            let stats = try await client.execute(uri: "/v1/audit/stats", method: .get, headers: bearer(dpo))
            #expect(stats.status == .ok, "\(stats.text.prefix(300))")
        }
    }
}
