import Foundation
import Hummingbird
import HummingbirdTesting
import TestFolders
import Testing
@testable import WebService

/// `serve --remove-quarantine-reports-after DAYS`: export runs started over the API remove the quarantine reports beside
/// the input of runs older than that, as `consentgate export` does with the same option, and the run's summary says how
/// many it removed and how many earlier ones remain.
@Suite struct ExportRouteRetentionTests {
    @Test("a run started over HTTP removes the reports past the server's retention period and answers the counts")
    func runRemovesOldReports() async throws {
        let folder = try TemporaryDirectory("cg-webexport-retention")
        let base = folder.url
        let fm = FileManager.default
        let input = base.appendingPathComponent("input").path
        try fm.createDirectory(atPath: input, withIntermediateDirectories: true)
        try fm.createDirectory(atPath: base.appendingPathComponent("drives/drive").path, withIntermediateDirectories: true)
        let sample = WebFixture.root.appendingPathComponent("../shared/data/registrations-sample.csv").standardizedFileURL.path
        try fm.copyItem(atPath: sample, toPath: input + "/registrations-sample.csv")
        let day: TimeInterval = 86_400
        func report(_ date: Date, _ suffix: String) -> String {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX"); f.timeZone = TimeZone(identifier: "UTC"); f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
            return "quarantine-" + f.string(from: date) + "-" + suffix   // the run id's form: UTC start time, 8 hex digits
        }
        let old = report(Date().addingTimeInterval(-45 * day), "0000000a")
        let recent = report(Date().addingTimeInterval(-5 * day), "0000000b")
        for name in [old + ".csv", old + ".json", recent + ".csv", recent + ".json"] {
            try Data("x".utf8).write(to: URL(fileURLWithPath: input + "/" + name))
        }
        var configuration = WebServiceConfiguration(exportInputDirectory: input, exportDriveDirectory: base.appendingPathComponent("drives").path)
        configuration.quarantineRetentionDays = 30
        let web = try WebFixture(configuration: configuration)
        defer { web.remove(); try? fm.removeItem(at: base) }
        let token = web.tokens["exporter"]!

        try await web.application().test(.router) { client in
            let body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: ["input": "registrations-sample.csv", "drive": "drive"]))
            let dry = try await client.execute(uri: "/v1/exports/dry-run", method: .post, headers: jsonHeaders(token), body: body)
            #expect(dry.status == .ok, "\(dry.text)")
            #expect(fm.fileExists(atPath: input + "/" + old + ".csv"), "a dry run removes nothing")

            let started = try await client.execute(uri: "/v1/exports", method: .post, headers: jsonHeaders(token), body: body)
            #expect(started.status == .accepted, "\(started.text)")
            let id = try #require(started.json["id"] as? String)
            let status = try await ExportRouteTests.statusWhenEnded(client, id: id, token: token)
            #expect(status["state"] as? String == "succeeded", "\(status)")
            let summary = try #require(status["summary"] as? [String: Any])
            #expect(summary["removed-quarantine-reports"] as? Int == 1, "\(summary)")
            #expect(summary["earlier-quarantine-reports"] as? Int == 1, "\(summary)")
        }
        #expect(!fm.fileExists(atPath: input + "/" + old + ".csv") && !fm.fileExists(atPath: input + "/" + old + ".json"))
        #expect(fm.fileExists(atPath: input + "/" + recent + ".csv") && fm.fileExists(atPath: input + "/" + recent + ".json"))
    }
}
