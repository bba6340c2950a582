import Foundation
import Logging
import Synchronization
import Testing
@testable import WebService

/// The web service's logger formats metadata only for messages that are written, and writes exactly
/// what swift-log's `StreamLogHandler` writes.
@Suite struct DeferredMetadataLogHandlerTests {
    /// Collects what a `StreamLogHandler` writes.
    final class Lines: TextOutputStream, @unchecked Sendable {
        private let lines = Mutex<[String]>([])
        func write(_ string: String) { lines.withLock { $0.append(string) } }
        var all: [String] { lines.withLock { $0 } }
    }

    /// A metadata value that counts how often it is formatted.
    final class Counted: CustomStringConvertible, Sendable {
        let count = Atomic<Int>(0)
        var description: String { count.add(1, ordering: .relaxed); return "req-42" }
        var formatted: Int { count.load(ordering: .relaxed) }
    }

    /// The line without its leading time stamp (the first word).
    static func withoutTime(_ line: String) -> Substring { line.drop { $0 != " " } }

    @Test func settingMetadataDoesNotFormatItButLoggingWritesWhatStreamLogHandlerWrites() {
        let deferredOut = Lines(), streamOut = Lines()
        let id = Counted()
        var deferred = Logger(label: "consentgate.web") { label in
            DeferredMetadataLogHandler(wrapping: StreamLogHandler(label: label, stream: deferredOut, metadataProvider: nil))
        }
        deferred[metadataKey: "hb.request.id"] = .stringConvertible(id)
        deferred[metadataKey: "route"] = "/v1/decisions"
        #expect(id.formatted == 0, "metadata set, nothing logged: nothing formatted")
        deferred.debug("below the level")
        #expect(id.formatted == 0, "a message below the log level formats nothing")
        deferred.info("decision", metadata: ["fields": "5"])
        #expect(id.formatted > 0, "a written message formats it")
        deferred.warning("plain")

        var stream = Logger(label: "consentgate.web") { label in StreamLogHandler(label: label, stream: streamOut, metadataProvider: nil) }
        stream[metadataKey: "hb.request.id"] = .stringConvertible(Counted())
        stream[metadataKey: "route"] = "/v1/decisions"
        stream.debug("below the level")
        stream.info("decision", metadata: ["fields": "5"])
        stream.warning("plain")

        #expect(deferredOut.all.count == 2)
        #expect(deferredOut.all.map(Self.withoutTime) == streamOut.all.map(Self.withoutTime))
        #expect(deferredOut.all.first?.contains("hb.request.id=req-42") == true, "\(deferredOut.all)")
    }

    @Test func levelAndMetadataBehaveLikeAnyHandler() {
        let out = Lines()
        var logger = Logger(label: "x") { label in
            DeferredMetadataLogHandler(wrapping: StreamLogHandler(label: label, stream: out, metadataProvider: nil))
        }
        logger.logLevel = .debug
        #expect(logger.logLevel == .debug)
        logger[metadataKey: "a"] = "1"
        #expect(logger[metadataKey: "a"] == "1")
        logger[metadataKey: "a"] = nil
        #expect(logger[metadataKey: "a"] == nil)
        logger.debug("now written")
        #expect(out.all.count == 1)
        #expect(out.all.first?.contains("debug x: [WebServiceTests] now written") == true, "\(out.all)")
    }

    @Test func theServiceLoggerWrapsTheConfiguredHandler() {
        let logger = DeferredMetadataLogHandler.logger(label: "consentgate.web")
        #expect(logger.handler is DeferredMetadataLogHandler)
        #expect(logger.label == "consentgate.web")
    }
}
