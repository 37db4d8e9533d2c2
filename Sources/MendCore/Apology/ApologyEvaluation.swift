// Scoring the apology checker on labelled drafts (Tests/Evaluation/apology/drafts.tsv): precision and recall.

/// One labelled draft: the flag ids it should raise (empty for a clean one).
public struct LabelledDraft: Sendable, Equatable {
    public var line: Int
    public var expected: Set<String>
    public var text: String
}

/// How the checker did: per flag id over all drafts, and clean-or-not per draft.
public struct ApologyScore: Sendable {
    public var truePositives = 0, falsePositives = 0, falseNegatives = 0
    /// Drafts judged right as clean or flagged.
    public var verdictsRight = 0, drafts = 0
    /// Good drafts that got any flag: the worst kind of mistake.
    public var cleanFlagged = 0, cleanDrafts = 0
    /// Each miss, for reading: line, expected, got, text.
    public var misses: [(line: Int, expected: [String], got: [String], text: String)] = []

    public var precision: Double { Double(truePositives) / Double(max(1, truePositives + falsePositives)) }
    public var recall: Double { Double(truePositives) / Double(max(1, truePositives + falseNegatives)) }
    public var verdictAccuracy: Double { Double(verdictsRight) / Double(max(1, drafts)) }
}

public enum ApologyEvaluation {
    /// Parses `expected<TAB>text` lines; `#` starts a comment. Problems come back as diagnostics.
    public static func parse(_ text: String, file: String) -> ([LabelledDraft], [Diagnostic]) {
        var drafts: [LabelledDraft] = []
        var problems: [Diagnostic] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            if line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[1].isEmpty else {
                problems.append(Diagnostic(file: file, line: index + 1, column: 1, message: "expected 'ids<TAB>draft'"))
                continue
            }
            let ids = parts[0] == "clean" ? [] : parts[0].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            drafts.append(LabelledDraft(line: index + 1, expected: Set(ids), text: parts[1]))
        }
        return (drafts, problems)
    }

    public static func score(_ drafts: [LabelledDraft], with checker: ApologyChecker) -> ApologyScore {
        var score = ApologyScore()
        for draft in drafts {
            let got = Set(checker.check(draft.text).map(\.id))
            score.truePositives += got.intersection(draft.expected).count
            score.falsePositives += got.subtracting(draft.expected).count
            score.falseNegatives += draft.expected.subtracting(got).count
            score.drafts += 1
            if got.isEmpty == draft.expected.isEmpty { score.verdictsRight += 1 }
            if draft.expected.isEmpty {
                score.cleanDrafts += 1
                if !got.isEmpty { score.cleanFlagged += 1 }
            }
            if got != draft.expected {
                score.misses.append((draft.line, draft.expected.sorted(), got.sorted(), draft.text))
            }
        }
        return score
    }
}
