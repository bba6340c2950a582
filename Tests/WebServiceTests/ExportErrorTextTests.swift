import DriveExport
import Foundation
import Hummingbird
import HummingbirdTesting
import TestFolders
import Testing
@testable import WebService

/// What an exporter reads when the job refuses (found in a black-box review): paths relative to the configured folders,
/// never the server's absolute paths; a lock held by another run without its process id, host, database path or lock
/// file; a problem with the mapping file naming the request field `mapping`.
@Suite struct ExportErrorTextTests {
    @Test func anEmptyListIsNamedRelativeToTheInputFolder() async throws {
        let f = try ExportRouteTests.ExportFixture()
        defer { f.remove() }
        try Data().write(to: URL(fileURLWithPath: f.inputDir + "/empty.csv"))
        try await f.web.application().test(.router) { client in
            let r = try await client.execute(uri: "/v1/exports/dry-run", method: .post, headers: jsonHeaders(f.token),
                                             body: try ExportRouteTests.body(["input": "empty.csv", "drive": "drive"]))
            #expect(r.status == .unprocessableContent)
            #expect(r.errorMessage == "empty.csv: Die Datei ist leer (keine Kopfzeile).", "\(r.text)")
            #expect(!r.text.contains(f.base.path))
        }
    }

    @Test func aMappingFileProblemNamesTheField() async throws {
        let f = try ExportRouteTests.ExportFixture()
        defer { f.remove() }
        // A registration list given as the mapping file (the helper's mistake in the review).
        try FileManager.default.copyItem(atPath: f.inputDir + "/registrations-sample.csv", toPath: f.inputDir + "/mapping.csv")
        try await f.web.application().test(.router) { client in
            let r = try await client.execute(uri: "/v1/exports/dry-run?lang=en", method: .post, headers: jsonHeaders(f.token),
                                             body: try ExportRouteTests.body(["input": "registrations-sample.csv", "drive": "drive", "mapping": "mapping.csv"]))
            #expect(r.status == .unprocessableContent, "\(r.text)")
            #expect(r.errorMessage?.hasPrefix("field \"mapping\": mapping.csv:") == true, "\(r.text)")
            #expect(!r.text.contains(f.base.path))
        }
    }

    @Test(arguments: ["de", "en"])
    func aRunRefusedByTheDatabaseLockSaysSoWithoutServerDetails(language: String) async throws {
        let f = try ExportRouteTests.ExportFixture()
        defer { f.remove() }
        let database = f.web.environment.gate.database.path
        let lock = try DatabaseRunLock(database: database)   // another run's
        try await f.web.application().test(.router) { client in
            let started = try await client.execute(uri: "/v1/exports", method: .post, headers: jsonHeaders(f.token),
                                                   body: try ExportRouteTests.body(ExportRouteTests.sampleRequest))
            #expect(started.status == .accepted, "\(started.text)")
            let id = try #require(started.json["id"] as? String)
            let status = try await ExportRouteTests.statusWhenEnded(client, id: id, token: f.token, query: "?lang=\(language)")
            #expect(status["state"] as? String == "failed", "\(status)")
            let error = status["error"] as? String ?? ""
            #expect(error.hasPrefix(language == "de" ? "Ein anderer Exportlauf arbeitet gerade mit der Datenbank dieses Dienstes (seit "
                                                     : "another export run is using this service's database (since "), "\(error)")
            for detail in [database, "pid", "\(ProcessInfo.processInfo.processIdentifier)", ProcessInfo.processInfo.hostName, ".export.lock"] {
                #expect(!error.contains(detail), "\(detail) in \(error)")
            }
            let page = try await client.execute(uri: "/exports/\(id)?lang=\(language)", method: .get,
                                                headers: [.cookie: "cg_session=\(try #require(try await pageLogin(client, name: "test-exporter")))"])
            #expect(!page.text.contains(database) && page.text.contains(language == "de" ? "dieses Dienstes" : "this service"))
        }
        _ = consume lock
    }

    /// Paths under a folder given through a symbolic link are made relative too (the job works on resolved paths).
    @Test func foldersAreMatchedAsGivenAndResolved() throws {
        let dir = try TemporaryDirectory("cg-export-text")
        let real = dir.url.appendingPathComponent("real").path, link = dir.url.appendingPathComponent("link").path
        try FileManager.default.createDirectory(atPath: real + "/d", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        let configuration = WebServiceConfiguration(exportInputDirectory: link, exportDriveDirectory: link)
        let folders = ExportErrorText.Folders(configuration: configuration)
        #expect(folders.relative(real + "/d") == "d")
        #expect(folders.relative(link + "/d") == "d")
        #expect(folders.relative(real) == ".")
        #expect(folders.relative("/elsewhere/secret/file.csv") == "file.csv")
        #expect(folders.relativeText("\(real)/x.csv:3: bad; \(link)/y.csv") == "x.csv:3: bad; y.csv")
    }
}
