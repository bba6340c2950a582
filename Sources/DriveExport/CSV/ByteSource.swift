#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the CSV reader gets its bytes from, one chunk at a time, so a file is never loaded whole.
/// A class-bound protocol: a source owns a position (and for files, a descriptor) and is used by one reader.
public protocol ByteSource: AnyObject {
    /// Copies up to `buffer.count` bytes into `buffer`; returns how many, 0 at the end of the input.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// A file read with `read(2)` in the chunk sizes the reader asks for. Closes the descriptor on `deinit`.
public final class FileByteSource: ByteSource {
    /// The path, as given (used in error messages).
    public let path: String
    private let fd: Int32

    /// Opens `path` for reading; throws `DriveExportError.io` when it cannot.
    public init(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw DriveExportError.io(path: path, operation: "open", errno: errno) }
        self.path = path
        self.fd = fd
    }

    deinit { close(fd) }

    /// Reads the next bytes of the file, retrying after an interrupted call; throws `DriveExportError.io` on a read error.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            #if canImport(Glibc)
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            #else
            let n = Darwin.read(fd, buffer.baseAddress, buffer.count)
            #endif
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw DriveExportError.io(path: path, operation: "read", errno: errno)
        }
    }
}

/// Bytes already in memory (tests, small mapping files). `maxReadSize` lets tests force tiny chunks so
/// every chunk boundary case in the reader is exercised.
public final class MemoryByteSource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0
    private let maxReadSize: Int

    /// A source over `bytes` that hands out at most `maxReadSize` bytes per read.
    public init(_ bytes: [UInt8], maxReadSize: Int = .max) {
        self.bytes = bytes
        self.maxReadSize = max(1, maxReadSize)
    }

    /// Copies the next at most `maxReadSize` bytes; 0 once all are handed out.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, bytes.count - offset, maxReadSize)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { src in
            buffer.baseAddress!.copyMemory(from: src.baseAddress! + offset, byteCount: n)
        }
        offset += n
        return n
    }
}
