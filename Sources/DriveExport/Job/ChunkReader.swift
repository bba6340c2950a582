import Dispatch
import Foundation
import Synchronization

/// Reads and validates a registration list on a background thread, in chunks of valid rows, while the job
/// decides and writes the previous chunk: pass 2's parsing and validation run on the second core. At most
/// one finished chunk waits for the consumer while the next is read (memory stays bounded). Rows keep their file order; the quarantined
/// rows read since the previous chunk come with each chunk, so the report lists them in order too.
final class ChunkReader: @unchecked Sendable {
    /// One step of the stream.
    struct Chunk: Sendable {
        var records: [RegistrationRecord] = []
        var quarantined: [QuarantineEntry] = []
        /// Data rows read so far (valid and quarantined) and bytes read, for progress.
        var rows = 0
        var bytesRead = 0
        /// True for the last chunk (the reader's counters and digest are final).
        var last = false
    }

    private let reader: RegistrationListReader
    private let handoff: BackgroundHandoff<Chunk>

    /// Starts reading `reader` (which must not be used elsewhere until `next()` returned the last chunk).
    init(_ reader: RegistrationListReader, chunkSize: Int) {
        self.reader = reader
        let size = max(1, chunkSize)
        // Only the background queue uses the reader from here on.
        nonisolated(unsafe) let reading = reader
        handoff = BackgroundHandoff(label: "consentgate.export.chunk-reader") { put in
            try Self.produce(reading, chunkSize: size, put: put)
        }
    }

    /// Stops the background reading (the job calls it when it ends, also by an error, so the thread never waits
    /// for a consumer that is gone).
    func cancel() { handoff.cancel() }

    private static func produce(_ reader: RegistrationListReader, chunkSize: Int, put: BackgroundHandoff<Chunk>.Put) throws {
        var chunk = Chunk()
        chunk.records.reserveCapacity(chunkSize)
        while let row = try reader.next() {
            chunk.rows += 1
            switch row {
            case .valid(let r): chunk.records.append(r)
            case .quarantined(let q): chunk.quarantined.append(q)
            }
            if chunk.records.count >= chunkSize {
                chunk.bytesRead = reader.csv.bytesRead
                let rows = chunk.rows
                guard put(chunk) else { return }
                chunk = Chunk()
                chunk.rows = rows
                chunk.records.reserveCapacity(chunkSize)
            }
        }
        chunk.bytesRead = reader.csv.bytesRead
        chunk.last = true
        _ = put(chunk)
    }

    /// The next chunk (the last one has `last == true`); rethrows a read error of the file.
    func next() throws -> Chunk {
        guard let chunk = try handoff.next() else { throw CancellationError() }
        return chunk
    }
}
