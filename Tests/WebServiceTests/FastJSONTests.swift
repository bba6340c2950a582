import Foundation
import Testing
@testable import WebService

/// The decision body's fast reader never disagrees with the strict decoder: where it answers, the
/// decoder gives the same value; where the decoder refuses, it does not answer (and the route then
/// gives the decoder's 400).
@Suite struct FastJSONTests {
    static let bodies: [String] = [
        #"{"subject": "RSK-1", "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"]}"#,
        #" { "subject":"RSK-1","attributes":{"birth-date":"1985-03-14","municipality":"Siegburg","unaccompanied-minor":false,"guardians":["a","b"]},"partner":"p","purpose":"q","fields":["x","y"],"at":"2026-11-25T10:00:00Z","referral":"R-7"}"# + "\n",
        #"{"subject": "RSK/2022/1", "partner": "Ärger ✓", "purpose": "q", "fields": ["f"], "attributes": {}}"#,
        // Everything below must be refused by the decoder or read by it only (escapes, numbers, null):
        #"{"subject": "RSK-\u0031", "partner": "p", "purpose": "q", "fields": ["f"]}"#,
        #"{"subject": "RSK-1", "partner": "p", "purpose": "q", "fields": ["f"], "referral": null}"#,
        #"{"subject": "RSK-1", "partner": "p", "purpose": "q", "fields": []}"#,
        #"{"subject": "  ", "partner": "p", "purpose": "q", "fields": ["f"]}"#,
        // Subjects outside the case-id rule (a name, white space at the ends, an empty id):
        #"{"subject": "Ärger ✓", "partner": "p", "purpose": "q", "fields": ["f"]}"#,
        #"{"subject": "Max Mustermann", "partner": "p", "purpose": "q", "fields": ["f"]}"#,
        #"{"subject": "RSK-1 ", "partner": "p", "purpose": "q", "fields": ["f"]}"#,
        #"{"subject": " RSK-1", "partner": "p", "purpose": "q", "fields": ["f"]}"#,
        #"{"subject": "", "partner": "p", "purpose": "q", "fields": ["f"]}"#,
        #"{"subject": "RSK-1\u0000zzz", "partner": "p", "purpose": "q", "fields": ["f"]}"#,
        #"{"subject": "RSK-1", "partner": "p", "purpose": "q"}"#,
        #"{"subject": "RSK-1", "partner": "p", "purpose": "q", "fields": ["f"], "rolle": "x"}"#,
        #"{"subject": "RSK-1", "partner": "p", "purpose": "q", "fields": ["f"], "attributes": {"birth-date": "14.03.1985"}}"#,
        #"{"subject": "RSK-1", "partner": "p", "purpose": "q", "fields": ["f"], "attributes": {"geburt": "x"}}"#,
        #"{"subject": "RSK-1", "partner": "p", "purpose": "q", "fields": ["f"], "at": "yesterday"}"#,
        #"{"subject": 17, "partner": "p", "purpose": "q", "fields": ["f"]}"#,
        #"{"subject": "RSK-1", "partner": "p", "purpose": "q", "fields": "f"}"#,
        #"{"subject": "RSK-1", "partner": "p", "purpose": "q", "fields": ["f"], "attributes": {"unaccompanied-minor": "yes"}}"#,
        #"{"subject": "RSK-1", "subject": "RSK-2", "partner": "p", "purpose": "q", "fields": ["f"]}"#,
        #"{"subject": "RSK-1", "partner": "p", "purpose": "q", "fields": ["f"],}"#,
        #"{"subject": "RSK-1", "partner": "p", "purpose": "q", "fields": ["f"]} trailing"#,
        #"["subject"]"#, "", "{", #"{"subject": "RSK-1"#,
    ]

    @Test(arguments: bodies)
    func fastReaderAgreesWithTheStrictDecoder(body: String) throws {
        let bytes = Array(body.utf8)
        let fast = bytes.withUnsafeBytes { DecisionRoutes.fastRequest($0) }
        let strict = try? JSONDecoder().decode(DecisionRoutes.RequestJSON.self, from: Data(bytes))
        if let fast {
            #expect(fast == strict, "the fast reader accepted what the decoder reads differently or refuses")
        }
        if strict == nil { #expect(fast == nil) }
    }

    @Test func commonBodiesTakeTheFastPath() {
        for body in Self.bodies.prefix(3) {
            #expect(Array(body.utf8).withUnsafeBytes { DecisionRoutes.fastRequest($0) } != nil, "\(body)")
        }
    }
}
