// The one place that writes conversations to disk: append-only JSON lines, synced every turn, 0600 in 0700.
import Foundation

/// Where conversations live, and how one is written as it goes.
public struct Store: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// Creates the folder (0700) if needed and tightens it if it exists.
    public func prepare() throws {
        let fm = FileManager.default
        if !fm.fileExists(atPath: directory) {
            do {
                try fm.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw StoreError.cannotCreate(directory, reason: error.localizedDescription)
            }
        }
        chmod(directory, 0o700)
    }

    public func path(of id: String) -> String { directory + "/" + id + ".jsonl" }

    /// A new conversation id from the time: sorts by date, readable, unique enough with a suffix.
    public static func newID(now: Date, salt: UInt32) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone.current
        f.dateFormat = "yyyyMMdd-HHmmss"
        return f.string(from: now) + "-" + String(format: "%04x", salt & 0xffff)
    }
}

public enum StoreError: Error, Equatable, CustomStringConvertible {
    case cannotCreate(String, reason: String)
    case cannotWrite(String, reason: String)

    public var description: String {
        switch self {
        case let .cannotCreate(path, reason): return "cannot create \(path): \(reason)"
        case let .cannotWrite(path, reason): return "cannot write \(path): \(reason)"
        }
    }
}

/// An open conversation log. Appends never rewrite earlier bytes; each append is flushed to disk.
public final class LogWriter: @unchecked Sendable {
    public let path: String
    private var fd: Int32

    /// Opens a new file (never an existing one: O_EXCL), mode 0600.
    public init(path: String) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o600)
        if fd < 0 { throw StoreError.cannotWrite(path, reason: String(cString: strerror(errno))) }
    }

    /// Opens an existing file to append to it.
    public init(appendingTo path: String) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        if fd < 0 { throw StoreError.cannotWrite(path, reason: String(cString: strerror(errno))) }
    }

    deinit { if fd >= 0 { close(fd) } }

    public func append(_ events: [LogEvent]) throws {
        guard !events.isEmpty else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data()
        for event in events {
            data.append(try encoder.encode(event))
            data.append(10)
        }
        try data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw StoreError.cannotWrite(path, reason: String(cString: strerror(errno)))
                }
                offset += n
            }
        }
        if fsync(fd) != 0 { throw StoreError.cannotWrite(path, reason: String(cString: strerror(errno))) }
    }
}
