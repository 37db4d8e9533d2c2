// Measuring understanding on labelled lines (TSV: set, expected label or "-" to abstain, text).
import Foundation

/// One labelled line of an evaluation file.
public struct LabelledLine: Sendable, Equatable {
    public var set: String
    /// nil when the reader should abstain ("-" in the file).
    public var expected: String?
    public var text: String
    public var line: Int
}

/// Right answers, wrong guesses and abstentions over some lines.
public struct Tally: Sendable, Equatable {
    public var right = 0
    public var wrong = 0
    public var abstained = 0
    public init() {}
    public var total: Int { right + wrong + abstained }
    public var accuracy: Double { total == 0 ? 0 : Double(right) / Double(total) * 100 }
    public var wrongRate: Double { total == 0 ? 0 : Double(wrong) / Double(total) * 100 }

    public mutating func add(_ other: Tally) {
        right += other.right
        wrong += other.wrong
        abstained += other.abstained
    }
}

/// A line the reader got wrong or abstained on.
public struct Miss: Sendable, Equatable {
    public var line: LabelledLine
    public var reading: Reading
}

/// The result for one evaluation file.
public struct FileScore: Sendable {
    public var file: String
    public var sets: [String: Tally]
    public var overall: Tally
    public var microsecondsPerLine: Double
    public var misses: [Miss]
}

public enum Evaluation {
    /// Parses a TSV file; `#` lines and blank lines are skipped; a malformed line is a diagnostic.
    public static func parse(_ text: String, file: String) -> ([LabelledLine], [Diagnostic]) {
        var lines: [LabelledLine] = []
        var problems: [Diagnostic] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let row = raw.trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
            if row.trimmingCharacters(in: .whitespaces).isEmpty || row.hasPrefix("#") { continue }
            let cells = row.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard cells.count == 3 else {
                problems.append(Diagnostic(file: file, line: index + 1, column: 1, message: "expected three tab-separated cells: set, label (or -), text"))
                continue
            }
            let set = cells[0].trimmingCharacters(in: .whitespaces)
            let label = cells[1].trimmingCharacters(in: .whitespaces)
            guard let labels = Catalog.sets[set] else {
                problems.append(Diagnostic(file: file, line: index + 1, column: 1, message: "'\(set)' is not a set; use one of: \(Catalog.setOrder.joined(separator: ", "))"))
                continue
            }
            guard label == "-" || labels.contains(label) else {
                problems.append(Diagnostic(file: file, line: index + 1, column: set.count + 2, message: "'\(label)' is not a label of '\(set)'; use one of: \(labels.joined(separator: ", ")) or -"))
                continue
            }
            lines.append(LabelledLine(set: set, expected: label == "-" ? nil : label, text: cells[2], line: index + 1))
        }
        return (lines, problems)
    }

    /// Reads every line (`repeat` times, for timing) and scores it.
    public static func score(_ lines: [LabelledLine], file: String, with understanding: Understanding, repeat times: Int = 1) -> FileScore {
        var sets: [String: Tally] = [:]
        var overall = Tally()
        var misses: [Miss] = []
        let start = DispatchTime.now().uptimeNanoseconds
        var readings: [Reading] = []
        readings.reserveCapacity(lines.count)
        for round in 0..<max(1, times) {
            for line in lines {
                let reading = understanding.read(line.text, set: line.set, asked: true)
                if round == 0 { readings.append(reading) }
            }
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1000
        for (line, reading) in zip(lines, readings) {
            var tally = Tally()
            if reading.label == line.expected {
                tally.right = 1
            } else if reading.label == nil {
                tally.abstained = 1
                misses.append(Miss(line: line, reading: reading))
            } else {
                tally.wrong = 1
                misses.append(Miss(line: line, reading: reading))
            }
            sets[line.set, default: Tally()].add(tally)
            overall.add(tally)
        }
        let perLine = lines.isEmpty ? 0 : elapsed / Double(lines.count * max(1, times))
        return FileScore(file: file, sets: sets, overall: overall, microsecondsPerLine: perLine, misses: misses)
    }
}
