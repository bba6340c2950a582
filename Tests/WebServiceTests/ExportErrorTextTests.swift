import DriveExport
import Foundation
import Diagnostics
import Hummingbird
import HummingbirdTesting
import Logging
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

/// A run that failed after logging began tells the exporter the job's words (what is logged, what the next run does),
/// relative to the configured folders, not the fixed words of a database failure; and the service's log has the
/// failure. Found in the full-disk review: the drive filled while a folder was published, and the run's status read
/// "Die Datenbank des Dienstes hat einen Fehler gemeldet; er wurde protokolliert", with nothing in the log.
@Suite struct ExportFailureAfterLoggingTextTests {
    @Test func aDeliveryPendingRunSaysWhatIsLoggedAndWhatTheNextRunDoes() throws {
        let f = try ExportRouteTests.ExportFixture()
        defer { f.remove() }
        let configuration = f.web.environment.configuration
        let options = ExportOptions(input: f.inputDir + "/registrations-sample.csv", drive: f.driveDir)
        let manifest = f.driveDir + "/Schulamt/.run.partial-1/manifest.json"
        let error = ExportJobError.deliveryPending(
            partners: ["schulamt"], published: ["auslaenderbehoerde"],
            cause: LocalizedText(de: "\(manifest): Schreiben fehlgeschlagen: kein Platz mehr auf dem Datenträger (errno 28)",
                                 en: "\(manifest): write failed: no space left on the device (errno 28)"),
            causeCategory: .storage)
        let web = try #require(ExportErrorText.forWeb(error, options: options, configuration: configuration) as? WebError)
        #expect(web.code == "storage")
        #expect(web.message.de.hasPrefix("drive/Schulamt/.run.partial-1/manifest.json: Schreiben fehlgeschlagen: kein Platz mehr"), "\(web.message.de)")
        #expect(web.message.de.contains("Die Weitergabe an schulamt ist bereits im Prüfprotokoll verzeichnet"), "\(web.message.de)")
        #expect(web.message.en.contains("This run has already published and logged in full: auslaenderbehoerde"), "\(web.message.en)")
        for text in [web.message.de, web.message.en] {
            #expect(!text.contains(f.base.path) && !text.contains("Datenbank des Dienstes") && !text.contains("database reported"), "\(text)")
        }
        #expect(web.logDetail?.contains(manifest) == true, "the log keeps the full path")

        // A cause naming a file outside the configured folders (the database's write-ahead log) keeps only its name.
        let wal = ExportJobError.deliveryPending(partners: ["schulamt"], published: [],
            cause: LocalizedText(de: "Audit-Protokoll: Datenbankzugriff fehlgeschlagen (/srv/consentgate/data/consentgate.sqlite-wal öffnen): kein Platz",
                                 en: "audit log: storage failed (open /srv/consentgate/data/consentgate.sqlite-wal): no space"),
            causeCategory: .storage)
        let walWeb = try #require(ExportErrorText.forWeb(wal, options: options, configuration: configuration) as? WebError)
        #expect(walWeb.message.en.hasPrefix("audit log: storage failed (open consentgate.sqlite-wal): no space"), "\(walWeb.message.en)")
        #expect(!walWeb.message.de.contains("/srv/"), "\(walWeb.message.de)")
    }

    @Test func aFailedRunIsLoggedWithItsCause() async throws {
        let out = ExportRunInterruptedMarkTests.Lines()
        let logger = Logger(label: "test") { StreamLogHandler(label: $0, stream: out, metadataProvider: nil) }
        let registry = ExportRunRegistry(logger: logger)
        let run = try await registry.start(actor: "test-exporter")
        await registry.finish(run.id, result: .failure(WebError.storage(detail: "drive/Schulamt: no space left on the device (errno 28)")))
        let lines = out.all.filter { $0.contains("export run failed") }
        #expect(lines.count == 1 && lines[0].contains(run.id) && lines[0].contains("no space left on the device (errno 28)"), "\(out.all)")
    }
}
