import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import TestFolders
import Testing
@testable import WebService

/// The export routes against a real installation (SQLite file, shipped policy, demo keys) and real
/// folders: a run of the shared sample list started over HTTP and polled until done, the dry run,
/// path escapes, a failing run, and the "not configured" answer.
@Suite struct ExportRouteTests {
    /// A web fixture whose server may read from `<dir>/input` (holding a copy of the sample list) and
    /// write to drives under `<dir>/drives` (with an empty `drive` folder).
    struct ExportFixture {
        let web: WebFixture
        /// The folder `base`, removed when the test lets go of the fixture (or earlier by `remove()`).
        let folder: TemporaryDirectory
        var base: URL { folder.url }
        var inputDir: String { base.appendingPathComponent("input").path }
        var drivesDir: String { base.appendingPathComponent("drives").path }
        var driveDir: String { drivesDir + "/drive" }
        var token: String { web.tokens["exporter"]! }

        /// `longWorkLanes`, `longWorkWaitingLimit`: the service's `WebServiceConfiguration` values of those names.
        init(longWorkLanes: Int = WebServiceConfiguration().longWorkLanes,
             longWorkWaitingLimit: Int = WebServiceConfiguration().longWorkWaitingLimit) throws {
            folder = try TemporaryDirectory("cg-webexport")
            let base = folder.url
            let fm = FileManager.default
            try fm.createDirectory(atPath: base.appendingPathComponent("input").path, withIntermediateDirectories: true)
            try fm.createDirectory(atPath: base.appendingPathComponent("drives/drive").path, withIntermediateDirectories: true)
            // A copy, so a quarantine report (written next to the input) never lands in the shared folder.
            let sample = WebFixture.root.appendingPathComponent("../shared/data/registrations-sample.csv").standardizedFileURL.path
            try fm.copyItem(atPath: sample, toPath: base.appendingPathComponent("input/registrations-sample.csv").path)
            var configuration = WebServiceConfiguration(exportInputDirectory: base.appendingPathComponent("input").path,
                                                        exportDriveDirectory: base.appendingPathComponent("drives").path)
            configuration.longWorkLanes = longWorkLanes
            configuration.longWorkWaitingLimit = longWorkWaitingLimit
            web = try WebFixture(configuration: configuration)
        }

        func remove() { web.remove(); try? FileManager.default.removeItem(at: base) }
    }

    static func body(_ fields: [String: Any]) throws -> ByteBuffer {
        ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: fields))
    }

    static let sampleRequest: [String: String] = ["input": "registrations-sample.csv", "drive": "drive"]

    /// Run `id`'s status (`GET /v1/exports/{id}` + `query`) once it has ended, neither `queued` nor `running`, or as it
    /// stands after `seconds`; every answer along the way is 200.
    static func statusWhenEnded(_ client: some TestClientProtocol, id: String, token: String, query: String = "",
                                seconds: Double = 120) async throws -> [String: Any] {
        var status: [String: Any] = [:]
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            let r = try await client.execute(uri: "/v1/exports/\(id)\(query)", method: .get, headers: bearer(token))
            #expect(r.status == .ok, "\(r.text)")
            status = r.json
            if !["queued", "running"].contains(status["state"] as? String ?? "") { break }
            try await Task.sleep(for: .milliseconds(50))
        } while Date() < deadline
        return status
    }

    /// Every file below `path` (relative), sorted.
    static func files(under path: String) -> [String] {
        ((FileManager.default.subpaths(atPath: path)) ?? []).sorted()
    }

    @Test("dry run answers per-partner counts and columns and writes nothing")
    func dryRunWritesNothing() async throws {
        let f = try ExportFixture()
        defer { f.remove() }
        let auditBefore = try f.web.environment.gate.auditLog.size()
        try await f.web.application().test(.router) { client in
            let r = try await client.execute(uri: "/v1/exports/dry-run", method: .post, headers: jsonHeaders(f.token),
                                             body: try Self.body(Self.sampleRequest))
            #expect(r.status == .ok, "\(r.text)")
            #expect(r.json["dry-run"] as? Bool == true)
            #expect(r.json["read"] as? Int == 200)
            let partners = try #require(r.json["partners"] as? [[String: Any]])
            #expect(!partners.isEmpty)
            let withRecords = partners.filter { ($0["records"] as? Int ?? 0) > 0 }
            #expect(!withRecords.isEmpty, "no partner would get a record: \(r.text)")
            for p in withRecords {
                #expect(!((p["columns"] as? [String]) ?? []).isEmpty, "\(p)")
                #expect(p["path"] == nil)
            }
        }
        #expect(Self.files(under: f.drivesDir) == ["drive"])
        #expect(Self.files(under: f.inputDir) == ["registrations-sample.csv"])
        // A dry run to a drive folder that does not exist is the request's fault, named by its field.
        try await f.web.application().test(.router) { client in
            var request = Self.sampleRequest
            request["drive"] = "not-mounted"
            let r = try await client.execute(uri: "/v1/exports/dry-run", method: .post, headers: jsonHeaders(f.token),
                                             body: try Self.body(request))
            #expect(r.status == .unprocessableContent, "\(r.text)")
            #expect(r.text.contains("invalid-path") && r.text.contains("not-mounted"), "\(r.text)")
            // A folder named as the list or the mapping file is said to be a folder, not "missing".
            try FileManager.default.createDirectory(atPath: f.inputDir + "/lists.csv", withIntermediateDirectories: true)
            for field in ["input", "mapping"] {
                var named = Self.sampleRequest
                named[field] = "lists.csv"
                let folder = try await client.execute(uri: "/v1/exports/dry-run?lang=en", method: .post, headers: jsonHeaders(f.token),
                                                      body: try Self.body(named))
                #expect(folder.status == .unprocessableContent, "\(folder.text)")
                #expect(folder.text.contains(#"field \"\#(field)\": \"lists.csv\" is a folder, not a file"#), "\(folder.text)")
            }
        }
        #expect(try f.web.environment.gate.auditLog.size() == auditBefore)
    }

    @Test("a run started over HTTP is polled until it succeeded; its partner folders are on the drive")
    func startedRunSucceeds() async throws {
        let f = try ExportFixture()
        defer { f.remove() }
        try await f.web.application().test(.router) { client in
            let dry = try await client.execute(uri: "/v1/exports/dry-run", method: .post, headers: jsonHeaders(f.token),
                                               body: try Self.body(Self.sampleRequest))
            #expect(dry.status == .ok)
            let expected = Dictionary(uniqueKeysWithValues: ((dry.json["partners"] as? [[String: Any]]) ?? [])
                .map { ($0["partner"] as? String ?? "", $0["records"] as? Int ?? -1) })

            let started = try await client.execute(uri: "/v1/exports", method: .post, headers: jsonHeaders(f.token),
                                                   body: try Self.body(Self.sampleRequest))
            #expect(started.status == .accepted, "\(started.text)")
            let id = try #require(started.json["id"] as? String)
            #expect(started.headers[.location] == "/v1/exports/\(id)")
            #expect(started.json["actor"] as? String == "test-exporter")

            let status = try await Self.statusWhenEnded(client, id: id, token: f.token)
            #expect(status["state"] as? String == "succeeded", "\(status)")
            #expect(status["finished-at"] is String)
            let summary = try #require(status["summary"] as? [String: Any])
            #expect(summary["dry-run"] as? Bool == false)
            #expect(summary["read"] as? Int == 200)
            if let report = summary["quarantine-report"] as? String { #expect(!report.hasPrefix("/"), "\(report)") }
            let partners = try #require(summary["partners"] as? [[String: Any]])
            var published = 0
            for p in partners {
                let name = p["partner"] as? String ?? ""
                #expect(p["records"] as? Int == expected[name], "records for \(name) differ from the dry run")
                guard let relative = p["path"] as? String else { continue }
                published += 1
                // Answered relative to the export drive folder, never as an absolute server path.
                #expect(!relative.hasPrefix("/") && !relative.contains(".."), "\(relative)")
                let path = ExportPaths.canonical(f.drivesDir) + "/" + relative
                var isDir: ObjCBool = false
                #expect(FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue, "\(path)")
                #expect(FileManager.default.fileExists(atPath: path + "/registrations.csv"))
                #expect(FileManager.default.fileExists(atPath: path + "/manifest.sig"))
            }
            #expect(published > 0)

            // After a restart (a new environment and router over the same database), the status is the same.
            let finishedAt = status["finished-at"] as? String
            let summaryBytes = try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys])
            let restarted = WebEnvironment(configuration: f.web.environment.configuration, gate: f.web.environment.gate)
            #expect(await restarted.exportRuns.count == 0, "nothing in the new process's memory")
            try await WebApplication.build(environment: restarted).test(.router) { client2 in
                let r = try await client2.execute(uri: "/v1/exports/\(id)", method: .get, headers: bearer(f.token))
                #expect(r.status == .ok)
                #expect(r.json["state"] as? String == "succeeded")
                #expect(r.json["finished-at"] as? String == finishedAt)
                let again = try JSONSerialization.data(withJSONObject: r.json["summary"] as? [String: Any] ?? [:], options: [.sortedKeys])
                #expect(again == summaryBytes, "the recorded summary differs: \(r.text)")
                let unknown = try await client2.execute(uri: "/v1/exports/\(UUID().uuidString.lowercased())", method: .get, headers: bearer(f.token))
                #expect(unknown.status == .notFound)
            }
            #expect(published == expected.values.filter { $0 > 0 }.count)

            let unknown = try await client.execute(uri: "/v1/exports/no-such-run", method: .get, headers: bearer(f.token))
            #expect(unknown.status == .notFound)
        }
        #expect(try f.web.environment.gate.auditLog.size() > 0)
    }

    @Test("a run that cannot read its list ends as failed, with the reason")
    func failedRunReportsTheError() async throws {
        let f = try ExportFixture()
        defer { f.remove() }
        try "Spalte;Andere\n1;2\n".write(toFile: f.inputDir + "/wrong.csv", atomically: true, encoding: .utf8)
        try await f.web.application().test(.router) { client in
            let started = try await client.execute(uri: "/v1/exports?lang=en", method: .post, headers: jsonHeaders(f.token),
                                                   body: try Self.body(["input": "wrong.csv", "drive": "drive"]))
            #expect(started.status == .accepted, "\(started.text)")
            let id = try #require(started.json["id"] as? String)
            let status = try await Self.statusWhenEnded(client, id: id, token: f.token, query: "?lang=en")
            #expect(status["state"] as? String == "failed", "\(status)")
            #expect(!(status["error"] as? String ?? "").isEmpty, "\(status)")
            #expect(status["summary"] == nil)
            // The same list in a dry run: the job's input error, answered at once.
            let dry = try await client.execute(uri: "/v1/exports/dry-run?lang=en", method: .post, headers: jsonHeaders(f.token),
                                               body: try Self.body(["input": "wrong.csv", "drive": "drive"]))
            #expect(dry.status == .unprocessableContent, "\(dry.text)")
            #expect(dry.errorMessage == status["error"] as? String)
        }
        // Nothing published; the drive's lock file (DriveExport's run lock, kept between runs) is no output.
        #expect(Self.files(under: f.driveDir).filter { $0 != ".consentgate-export.lock" }.isEmpty)
    }

    @Test("paths outside the allowed folders are refused with 422 naming the field",
          arguments: [
              (["input": "../input/registrations-sample.csv", "drive": "drive"], "input"),
              (["input": "/etc/passwd", "drive": "drive"], "input"),
              (["input": "registrations-sample.csv", "drive": "../.."], "drive"),
              (["input": "registrations-sample.csv", "drive": "/tmp"], "drive"),
              (["input": "registrations-sample.csv", "drive": "drive", "mapping": "../../mapping.yaml"], "mapping"),
              (["input": "escape/passwd", "drive": "drive"], "input"),
          ])
    func pathEscapesAreRefused(request: [String: String], field: String) async throws {
        let f = try ExportFixture()
        defer { f.remove() }
        // A symbolic link inside the input folder that leads out of it.
        try FileManager.default.createSymbolicLink(atPath: f.inputDir + "/escape", withDestinationPath: "/etc")
        try await f.web.application().test(.router) { client in
            for uri in ["/v1/exports", "/v1/exports/dry-run"] {
                let r = try await client.execute(uri: uri + "?lang=en", method: .post, headers: jsonHeaders(f.token),
                                                 body: try Self.body(request))
                #expect(r.status == .unprocessableContent, "\(uri) \(request): \(r.text)")
                #expect(r.errorCode == "path-outside-allowed-directory", "\(r.text)")
                #expect(r.errorMessage?.contains("field \"\(field)\"") == true, "\(r.text)")
            }
        }
        #expect(Self.files(under: f.drivesDir) == ["drive"])
        #expect(await f.web.environment.exportRuns.count == 0)
    }

    @Test("a missing list or drive folder is 422 naming the field")
    func missingFilesAreRefused() async throws {
        let f = try ExportFixture()
        defer { f.remove() }
        try await f.web.application().test(.router) { client in
            let noList = try await client.execute(uri: "/v1/exports", method: .post, headers: jsonHeaders(f.token),
                                                  body: try Self.body(["input": "nope.csv", "drive": "drive"]))
            #expect(noList.status == .unprocessableContent)
            #expect(noList.errorMessage?.contains("\"input\"") == true, "\(noList.text)")
            let noDrive = try await client.execute(uri: "/v1/exports", method: .post, headers: jsonHeaders(f.token),
                                                   body: try Self.body(["input": "registrations-sample.csv", "drive": "other"]))
            #expect(noDrive.status == .unprocessableContent)
            #expect(noDrive.errorMessage?.contains("\"drive\"") == true, "\(noDrive.text)")
            let unknownField = try await client.execute(uri: "/v1/exports", method: .post, headers: jsonHeaders(f.token),
                                                        body: try Self.body(["input": "registrations-sample.csv", "drive": "drive", "dry": true]))
            #expect(unknownField.status == .badRequest)
            #expect(unknownField.errorCode == "unknown-field")
        }
    }

    @Test("without configured folders the export routes answer 409")
    func notConfigured() async throws {
        let web = try WebFixture()
        defer { web.remove() }
        try await web.application().test(.router) { client in
            for (uri, method) in [("/v1/exports", HTTPRequest.Method.post), ("/v1/exports/dry-run", .post), ("/v1/exports/x", .get)] {
                let r = try await client.execute(uri: uri, method: method, headers: jsonHeaders(web.tokens["exporter"]!),
                                                 body: try Self.body(Self.sampleRequest))
                #expect(r.status == .conflict, "\(uri)")
                #expect(r.errorCode == "export-not-configured")
            }
        }
    }

    @Test("only exporters: 401 without credentials, 403 for every other role")
    func onlyExporters() async throws {
        let f = try ExportFixture()
        defer { f.remove() }
        try await f.web.application().test(.router) { client in
            let anonymous = try await client.execute(uri: "/v1/exports", method: .post, headers: [.contentType: "application/json"],
                                                     body: try Self.body(Self.sampleRequest))
            #expect(anonymous.status == .unauthorized)
            for role in AccountRole.allCases where role != .exporter {
                for uri in ["/v1/exports", "/v1/exports/dry-run"] {
                    let r = try await client.execute(uri: uri, method: .post, headers: jsonHeaders(f.web.tokens[role.rawValue]!),
                                                     body: try Self.body(Self.sampleRequest))
                    #expect(r.status == .forbidden, "\(uri) as \(role)")
                }
            }
        }
        #expect(Self.files(under: f.driveDir).isEmpty)
        #expect(await f.web.environment.exportRuns.count == 0)
    }
}

/// The run registry keeps the last runs, forgetting finished ones first (queued and running ones only when none is finished).
@Suite struct ExportRunRegistryTests {
    @Test func boundedAndUnfinishedRunsKept() async throws {
        let registry = ExportRunRegistry(capacity: 3)
        let first = try await registry.start(actor: "a")            // stays queued
        let begun = try await registry.start(actor: "a")
        await registry.began(begun.id)                                // and this one running
        let finished = try await registry.start(actor: "a")
        await registry.finish(finished.id, result: .failure(WebError.notFound("x")))
        let last = try await registry.start(actor: "a")
        #expect(await registry.count == 3)
        #expect(try await registry.run(first.id)?.state == .queued)
        #expect(try await registry.run(finished.id) == nil)
        #expect(try await registry.run(begun.id)?.state == .running)
        #expect(try await registry.run(last.id)?.state == .queued)
        // With only unfinished runs left, the oldest goes.
        _ = try await registry.start(actor: "a")
        #expect(try await registry.run(first.id) == nil)
        #expect(await registry.count == 3)
    }
}
