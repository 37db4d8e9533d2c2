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

    /// The ids of every saved conversation, in no particular order.
    public func ids() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".jsonl") && !$0.hasPrefix(".") }.map { String($0.dropLast(6)) }
    }

    /// An id as typed (whole, a unique beginning, or `latest`) to the saved conversation's id.
    public func resolve(_ typed: String) throws -> String {
        let all = ids()
        if typed == "latest" {
            guard let newest = all.max(by: { modified($0) < modified($1) }) else { throw StoreError.notFound(typed) }
            return newest
        }
        guard !typed.isEmpty, !typed.contains("/"), !typed.hasPrefix(".") else { throw StoreError.notFound(typed) }
        if all.contains(typed) { return typed }
        let matches = all.filter { $0.hasPrefix(typed) }.sorted()
        if matches.count == 1 { return matches[0] }
        if matches.isEmpty { throw StoreError.notFound(typed) }
        throw StoreError.ambiguous(typed, matches: matches)
    }

    /// When a conversation last changed (its file's modification time).
    public func modified(_ id: String) -> Date {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path(of: id))
        return (attributes?[.modificationDate] as? Date) ?? .distantPast
    }

    /// Every saved conversation, summarised, newest first.
    public func sessions() -> [SessionSummary] {
        ids().map { id in
            let reading = (try? Log.read(path: path(of: id))) ?? LogReading(events: [], damage: LogDamage(file: path(of: id), line: 1, reason: "cannot be read"))
            return SessionSummary(id: id, reading: reading)
        }.sorted { ($0.started, $0.id) > ($1.started, $1.id) }
    }

    public func delete(_ id: String) throws {
        if unlink(path(of: id)) != 0 { throw StoreError.cannotWrite(path(of: id), reason: String(cString: strerror(errno))) }
    }

    /// A new conversation id from the time: sorts by date, readable, unique enough with a suffix.
    public static func newID(now: Date, salt: UInt32) -> String {
        // strftime, not DateFormatter: this runs at every start, and a formatter costs milliseconds to set up.
        var seconds = time_t(now.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        localtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        _ = strftime(&buffer, buffer.count, "%Y%m%d-%H%M%S", &parts)
        let hex = String(salt & 0xffff, radix: 16)
        return String(cString: buffer) + "-" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}

public enum StoreError: Error, Equatable, CustomStringConvertible {
    case cannotCreate(String, reason: String)
    case cannotWrite(String, reason: String)
    case cannotRead(String, reason: String)
    case notFound(String)
    case ambiguous(String, matches: [String])
    case exists(String)
    case busy(String)

    public var description: String {
        switch self {
        case let .cannotCreate(path, reason): return "cannot create \(path): \(reason)"
        case let .cannotWrite(path, reason): return "cannot write \(path): \(reason)"
        case let .cannotRead(path, reason): return "cannot read \(path): \(reason)"
        case let .notFound(id): return "no saved conversation '\(id)'; 'mend sessions' lists them"
        case let .ambiguous(id, matches): return "'\(id)' could be any of \(matches.joined(separator: ", ")); give more of the id"
        case let .exists(path): return "\(path) already exists; choose another name (nothing was overwritten)"
        case let .busy(id): return "conversation \(id) is open in another mend right now"
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
        _ = flock(fd, LOCK_EX | LOCK_NB)
    }

    /// Opens an existing file to append to it; refuses when another mend is writing it.
    public init(appendingTo path: String) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        if fd < 0 { throw StoreError.cannotWrite(path, reason: String(cString: strerror(errno))) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK {
            close(fd)
            fd = -1
            throw StoreError.busy(URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent)
        }
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
        // A turn is written whole or not at all: a failed write takes back its own partial bytes,
        // so the file never ends in a torn line (earlier bytes are never touched).
        let before = lseek(fd, 0, SEEK_END)
        do {
            try writeAll(fd, data, path: path)
            if fsync(fd) != 0 { throw StoreError.cannotWrite(path, reason: String(cString: strerror(errno))) }
        } catch {
            if before >= 0 { _ = ftruncate(fd, before) }
            throw error
        }
    }
}

/// One line of `mend sessions`.
public struct SessionSummary: Sendable, Equatable {
    public var id: String
    /// The start event's time, ISO 8601 (empty when unknown).
    public var started: String
    public var role: String?
    /// Answers the user gave (commands are not counted).
    public var turns: Int
    /// Where the conversation stood: `flow.node`.
    public var lastNode: String?
    public var damaged: LogDamage?

    public init(id: String, reading: LogReading) {
        self.id = id
        let events = reading.events
        started = events.first { $0.type == .start }?.time ?? ""
        let transcript = Transcript(events: events)
        turns = transcript.answers
        let last = transcript.finalState
        role = last?.slots["role"] ?? events.first { $0.type == .start }?.role
        lastNode = last?.current.map { $0.flow + "." + $0.node }
        damaged = reading.damage
    }
}

/// Writes a new file that never replaces an existing one: `name.ext`, else `name-2.ext`, `name-3.ext`...
public enum NewFile {
    /// Creates `path` exactly (mode 0600), refusing when it exists.
    public static func create(_ path: String, contents: Data) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 {
            if errno == EEXIST { throw StoreError.exists(path) }
            throw StoreError.cannotWrite(path, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        try writeAll(fd, contents, path: path)
        if fsync(fd) != 0 { throw StoreError.cannotWrite(path, reason: String(cString: strerror(errno))) }
    }

    /// Creates the first free name of `base`, `base-2`, ... with `ext`; returns the path used.
    public static func createNumbered(base: String, ext: String, contents: Data) throws -> String {
        var n = 1
        while true {
            let path = n == 1 ? "\(base).\(ext)" : "\(base)-\(n).\(ext)"
            do {
                try create(path, contents: contents)
                return path
            } catch StoreError.exists {
                n += 1
                if n > 9999 { throw StoreError.exists(path) }
            }
        }
    }
}

func writeAll(_ fd: Int32, _ data: Data, path: String) throws {
    try data.withUnsafeBytes { raw in
        guard let base = raw.baseAddress else { return }
        var offset = 0
        while offset < raw.count {
            let n = Foundation.write(fd, base + offset, raw.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw StoreError.cannotWrite(path, reason: String(cString: strerror(errno)))
            }
            offset += n
        }
    }
}
