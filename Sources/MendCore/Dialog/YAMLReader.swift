// Reading YAML into typed values while keeping every problem's file, line and column.
import Foundation
import Yams

/// One problem in a data file, printed as `file:line:column: error: message`.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }
    public var file: String
    public var line: Int
    public var column: Int
    public var severity: Severity
    public var message: String

    public init(file: String, line: Int, column: Int, severity: Severity = .error, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.severity = severity
        self.message = message
    }

    public var description: String { "\(file):\(line):\(column): \(severity.rawValue): \(message)" }
}

/// Where something was written: a file and a 1-based line and column.
public struct Place: Sendable, Equatable, Hashable, Codable {
    public var file: String
    public var line: Int
    public var column: Int
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }
}

/// Walks a YAML document and collects diagnostics instead of throwing, so one run reports every problem.
public final class YAMLReader {
    public let file: String
    public private(set) var diagnostics: [Diagnostic] = []

    public init(file: String) { self.file = file }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// Parses text into a node tree; syntax errors become diagnostics. `plain` keeps every scalar as text
    /// (no implicit booleans or numbers), which parses several times faster.
    public func parse(_ text: String, plain: Bool = false) -> Yams.Node? {
        do {
            return try Yams.compose(yaml: text, plain ? .basic : .default)
        } catch let error as YamlError {
            report(error, in: text)
        } catch {
            diagnostics.append(Diagnostic(file: file, line: 1, column: 1, message: "cannot read YAML: \(error)"))
        }
        return nil
    }

    private func report(_ error: YamlError, in text: String) {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            diagnostics.append(Diagnostic(file: file, line: mark.line, column: mark.column, message: "YAML syntax: \(problem)"))
        case let .duplicatedKeysInMapping(duplicates, context):
            for key in duplicates {
                let at = secondOccurrence(of: key, after: context.mark, in: text) ?? (context.mark.line, context.mark.column)
                diagnostics.append(Diagnostic(file: file, line: at.line, column: at.column,
                                              message: "duplicate key '\(key)': it is already defined at line \(context.mark.line)"))
            }
        case let .reader(problem, offset, _, _):
            let (line, column) = offset.map { lineColumn(ofUTF8Offset: $0, in: text) } ?? (1, 1)
            diagnostics.append(Diagnostic(file: file, line: line, column: column, message: "cannot read file: \(problem)"))
        default:
            diagnostics.append(Diagnostic(file: file, line: 1, column: 1, message: "cannot read YAML: \(error)"))
        }
    }

    /// Yams reports the first of two equal keys; the one to fix is usually the later one.
    private func secondOccurrence(of key: String, after mark: Mark, in text: String) -> (line: Int, column: Int)? {
        let lines = text.components(separatedBy: "\n")
        guard mark.line - 1 < lines.count else { return nil }
        let indent = mark.column - 1
        for index in mark.line..<lines.count {
            let line = lines[index]
            let trimmed = line.drop { $0 == " " }
            let lead = line.count - trimmed.count
            if lead == indent, trimmed.hasPrefix(key + ":") || trimmed.hasPrefix("\"\(key)\":") {
                return (index + 1, indent + 1)
            }
        }
        return nil
    }

    private func lineColumn(ofUTF8Offset offset: Int, in text: String) -> (Int, Int) {
        var line = 1, column = 1
        for (index, byte) in text.utf8.enumerated() {
            if index >= offset { break }
            if byte == 10 { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }

    // MARK: reporting

    public func place(_ node: Yams.Node?) -> Place {
        Place(file: file, line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1)
    }

    public func error(_ node: Yams.Node?, _ message: String) {
        let p = place(node)
        diagnostics.append(Diagnostic(file: file, line: p.line, column: p.column, severity: .error, message: message))
    }

    public func warning(_ node: Yams.Node?, _ message: String) {
        let p = place(node)
        diagnostics.append(Diagnostic(file: file, line: p.line, column: p.column, severity: .warning, message: message))
    }

    public func error(at place: Place, _ message: String) {
        diagnostics.append(Diagnostic(file: place.file, line: place.line, column: place.column, severity: .error, message: message))
    }

    public func warning(at place: Place, _ message: String) {
        diagnostics.append(Diagnostic(file: place.file, line: place.line, column: place.column, severity: .warning, message: message))
    }

    // MARK: typed access

    /// The pairs of a mapping, in file order, with unknown keys reported (and "did you mean" when one is close).
    public func mapping(_ node: Yams.Node?, what: String, allowed: [String], required: [String] = []) -> [(key: String, keyNode: Yams.Node, value: Yams.Node)]? {
        guard let node else { return nil }
        guard case let .mapping(map) = node else {
            error(node, "\(what) should be a mapping of keys to values")
            return nil
        }
        var pairs: [(key: String, keyNode: Yams.Node, value: Yams.Node)] = []
        for (k, v) in map {
            guard let key = k.string else {
                error(k, "\(what): keys must be plain words")
                continue
            }
            if !allowed.isEmpty && !allowed.contains(key) {
                let hint = closest(key, in: allowed).map { " (did you mean '\($0)'?)" } ?? ""
                error(k, "unknown key '\(key)' in \(what)\(hint); allowed: \(allowed.joined(separator: ", "))")
                continue
            }
            pairs.append((key, k, v))
        }
        for key in required where !pairs.contains(where: { $0.key == key }) {
            error(node, "\(what) is missing '\(key)'")
        }
        return pairs
    }

    /// Any mapping whose keys are free names (node ids, labels); returns nil after reporting when not a mapping.
    public func namedMapping(_ node: Yams.Node?, what: String) -> [(key: String, keyNode: Yams.Node, value: Yams.Node)]? {
        mapping(node, what: what, allowed: [])
    }

    public func string(_ node: Yams.Node?, what: String) -> String? {
        guard let node else { return nil }
        guard case let .scalar(scalar) = node else {
            error(node, "\(what) should be text")
            return nil
        }
        return scalar.string
    }

    /// One string or a list of strings.
    public func strings(_ node: Yams.Node?, what: String) -> [String] {
        guard let node else { return [] }
        switch node {
        case let .scalar(scalar): return [scalar.string]
        case let .sequence(seq):
            return seq.compactMap { string($0, what: what) }
        default:
            error(node, "\(what) should be text or a list of texts")
            return []
        }
    }

    /// A list, each item with its node (for places).
    public func sequence(_ node: Yams.Node?, what: String) -> [Yams.Node] {
        guard let node else { return [] }
        guard case let .sequence(seq) = node else {
            error(node, "\(what) should be a list (lines starting with '- ')")
            return []
        }
        return Array(seq)
    }

    public func bool(_ node: Yams.Node?, what: String) -> Bool? {
        guard let node else { return nil }
        // Parsed `plain`, an unquoted true/false/yes/no/on/off is read as the default schema reads it.
        var plainValue: Bool?
        if case let .scalar(scalar) = node, scalar.style == .plain { plainValue = YAMLReader.plainBools[scalar.string] }
        guard let value = node.bool ?? plainValue else {
            error(node, "\(what) should be true or false")
            return nil
        }
        return value
    }

    /// The words YAML's default schema reads as true or false when unquoted.
    static let plainBools: [String: Bool] = {
        var table: [String: Bool] = [:]
        for (word, value) in [("true", true), ("yes", true), ("on", true), ("false", false), ("no", false), ("off", false)] {
            for form in [word, word.prefix(1).uppercased() + word.dropFirst(), word.uppercased()] { table[form] = value }
        }
        return table
    }()

    public func double(_ node: Yams.Node?, what: String) -> Double? {
        guard let node else { return nil }
        guard let value = node.float ?? node.int.map(Double.init) else {
            error(node, "\(what) should be a number")
            return nil
        }
        return value
    }
}

/// The allowed word nearest to a mistyped one, for "did you mean" hints.
public func closest(_ word: String, in candidates: [String]) -> String? {
    let best = candidates.map { ($0, editDistance(word, $0)) }.min { $0.1 < $1.1 }
    guard let (candidate, distance) = best, distance <= max(1, word.count / 3) else { return nil }
    return candidate
}

/// Edit distance over characters where swapping two neighbours counts as one edit (optimal string alignment).
public func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var before = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                current[j] = min(current[j], before[j - 2] + 1)
            }
        }
        (before, previous, current) = (previous, current, before)
    }
    return previous[b.count]
}
