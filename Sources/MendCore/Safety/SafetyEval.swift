// Measuring crisis detection on labelled lines: recall per category, false alarms on ordinary lines and idioms.
import Foundation

/// One labelled line: what it should be read as, the words, and an optional kind (idiom, negation, past, typo...).
public struct LabelledCrisisLine: Sendable, Equatable {
    public var expected: CrisisCategory?
    public var text: String
    public var kind: String
    public var line: Int
}

public struct SafetyScore: Sendable {
    public var file: String
    public var total = 0
    /// Per category: lines expected, lines caught with that category.
    public var expected: [CrisisCategory: Int] = [:]
    public var caught: [CrisisCategory: Int] = [:]
    public var ordinary = 0
    public var falseAlarms = 0
    public var idioms = 0
    public var idiomAlarms = 0
    /// Lines read wrongly: line number, expected, got, text.
    public var misses: [(line: Int, expected: String, got: String, text: String)] = []

    public func recall(_ category: CrisisCategory) -> Double? {
        guard let n = expected[category], n > 0 else { return nil }
        return Double(caught[category] ?? 0) / Double(n)
    }
    public var falseAlarmRate: Double { ordinary == 0 ? 0 : Double(falseAlarms) / Double(ordinary) }
}

public enum SafetyEval {
    /// Parses `expected<TAB>text[<TAB>kind]`; `#` starts a comment. Problems are file:line:column diagnostics.
    public static func parse(_ text: String, file: String) -> ([LabelledCrisisLine], [Diagnostic]) {
        var lines: [LabelledCrisisLine] = []
        var problems: [Diagnostic] = []
        for (index, raw) in text.components(separatedBy: "\n").enumerated() {
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let cols = raw.components(separatedBy: "\t")
            guard cols.count >= 2, !cols[1].trimmingCharacters(in: .whitespaces).isEmpty else {
                problems.append(Diagnostic(file: file, line: index + 1, column: 1, message: "expected 'category<TAB>text', with a tab between"))
                continue
            }
            let label = cols[0].trimmingCharacters(in: .whitespaces)
            let expected: CrisisCategory?
            if label == "none" { expected = nil } else if let c = CrisisCategory(rawValue: label) { expected = c } else {
                problems.append(Diagnostic(file: file, line: index + 1, column: 1, message: "'\(label)' is not none, self-harm, harm-others or abuse"))
                continue
            }
            let kind = cols.count > 2 ? cols[2].trimmingCharacters(in: .whitespaces) : ""
            lines.append(LabelledCrisisLine(expected: expected, text: cols[1], kind: kind, line: index + 1))
        }
        return (lines, problems)
    }

    /// Scores one file's lines. A line counts as caught when it would change the conversation (an interruption or a question).
    public static func score(_ lines: [LabelledCrisisLine], file: String, safety: Safety) -> SafetyScore {
        var score = SafetyScore(file: file)
        for item in lines {
            score.total += 1
            let reading = safety.check(item.text)
            let got = reading.map { $0.category.rawValue + ($0.certain ? "" : " (ask)") } ?? "none"
            if let expected = item.expected {
                score.expected[expected, default: 0] += 1
                if reading?.category == expected {
                    score.caught[expected, default: 0] += 1
                } else {
                    score.misses.append((item.line, expected.rawValue, got, item.text))
                }
            } else {
                score.ordinary += 1
                if item.kind == "idiom" { score.idioms += 1 }
                if reading != nil {
                    score.falseAlarms += 1
                    if item.kind == "idiom" { score.idiomAlarms += 1 }
                    score.misses.append((item.line, "none", got, item.text))
                }
            }
        }
        return score
    }

    /// The report, one block per file.
    public static func report(_ score: SafetyScore, explain: Safety? = nil) -> String {
        var out = "\(score.file): \(score.total) lines\n"
        for c in CrisisCategory.allCases {
            if let r = score.recall(c) {
                out += "  recall \(c.rawValue): \(String(format: "%.1f", r * 100))% (\(score.caught[c] ?? 0)/\(score.expected[c] ?? 0))\n"
            }
        }
        out += "  false alarms on ordinary lines: \(String(format: "%.1f", score.falseAlarmRate * 100))% (\(score.falseAlarms)/\(score.ordinary))\n"
        out += "  idioms flagged: \(score.idiomAlarms)/\(score.idioms)\n"
        for m in score.misses {
            out += "  line \(m.line): expected \(m.expected), got \(m.got): \(m.text)\n"
            if let explain { out += "      read as: \(explain.plainWords(m.text))\n" }
        }
        return out
    }
}
