import Logging

/// A log handler that keeps its metadata as a dictionary and hands it to the wrapped handler only when a
/// message is actually logged.
///
/// Why: Hummingbird gives every request its own logger with an `hb.request.id` metadata value. swift-log's
/// `StreamLogHandler` (the default) formats all its metadata into a string each time metadata is set,
/// so every request paid for formatting a request id that is logged only on errors or at debug level
/// (about 2 % of the server's CPU per `/health` request and per decision). Here, setting metadata is a
/// dictionary write; the wrapped handler receives the metadata (and formats it) only for a message that
/// passes the log level, so what is written is exactly what the wrapped handler writes.
struct DeferredMetadataLogHandler: LogHandler {
    /// The handler that writes (its own metadata is replaced by `metadata` for each message).
    private var base: any LogHandler

    /// Wraps `base`, taking over its metadata and log level.
    init(wrapping base: any LogHandler) {
        self.base = base
        self.metadata = base.metadata
    }

    var metadata: Logger.Metadata

    var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { base.metadataProvider }
        set { base.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var handler = base
        handler.metadata = metadata
        handler.log(event: event)
    }

    /// A logger labelled `label` whose handler is the process's configured one (`LoggingSystem`) wrapped in
    /// a `DeferredMetadataLogHandler`.
    static func logger(label: String) -> Logger {
        let base = Logger(label: label).handler
        return Logger(label: label) { _ in DeferredMetadataLogHandler(wrapping: base) }
    }
}
