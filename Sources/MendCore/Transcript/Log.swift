// Reading a saved conversation back: every event up to the first line that cannot be read.
import Foundation

/// Where a log stopped being readable.
public struct LogDamage: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var reason: String
    public var description: String { "\(file):\(line): \(reason)" }
    public var place: String { "\(file):\(line)" }
}

/// A log as read: the events before any damage, and the damage if there was some.
public struct LogReading: Sendable {
    public var events: [LogEvent]
    public var damage: LogDamage?
}

public enum Log {
    /// Reads a log file. A missing or unreadable file throws; damage inside it does not.
    public static func read(path: String) throws -> LogReading {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StoreError.cannotRead(path, reason: String(cString: strerror(errno)))
        }
        return parse(data, file: path)
    }

    /// Parses JSON lines. Stops at the first line that is not a whole event (torn by a crash, or garbage),
    /// so what is returned is always a prefix of what was written.
    public static func parse(_ data: Data, file: String) -> LogReading {
        let decoder = JSONDecoder()
        var events: [LogEvent] = []
        var lineNumber = 0
        var start = data.startIndex
        while start < data.endIndex {
            lineNumber += 1
            guard let newline = data[start...].firstIndex(of: 10) else {
                return LogReading(events: events, damage: LogDamage(file: file, line: lineNumber, reason: "the last line is cut short"))
            }
            let line = data[start..<newline]
            start = data.index(after: newline)
            if line.allSatisfy({ $0 == 32 || $0 == 13 }) { continue }
            guard let event = try? decoder.decode(LogEvent.self, from: line) else {
                return LogReading(events: events, damage: LogDamage(file: file, line: lineNumber, reason: "not a readable event"))
            }
            if lineNumber == 1 && event.type != .start {
                return LogReading(events: [], damage: LogDamage(file: file, line: 1, reason: "does not begin with a start event"))
            }
            if let version = event.version, event.type == .start, version > LogEvent.formatVersion {
                return LogReading(events: [], damage: LogDamage(file: file, line: lineNumber, reason: "written by a newer mend (format \(version))"))
            }
            events.append(event)
        }
        return LogReading(events: events, damage: nil)
    }
}
