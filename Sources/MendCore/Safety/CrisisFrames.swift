// Crisis frames: concept word lists combined in order within one sentence (dialogs/safety/frames.yaml), read beside the patterns.
import Foundation

/// The frames' knowledge, compiled to plain values (arrays and dictionaries of strings and ints) so it can be cached as it is.
struct CrisisFrames: Sendable {
    /// One word position of a concept phrase: exact words (ids into `wordIDs`, sorted), `kill*` stems,
    /// `{concept}` references (by index); `optional` may be skipped.
    struct Step: Sendable, Equatable {
        var words: [Int] = []
        var stems: [String] = []
        var concepts: [Int] = []
        var optional = false
    }

    /// A frame: concepts (by index) that must come in this order within one sentence, none of them negated.
    struct Frame: Sendable {
        var category: String
        /// "interrupt" or "ask".
        var action: String
        var parts: [Int]
        /// Per part, the most words allowed between it and the part before (-1: the file's window).
        var gaps: [Int]
        /// Concepts that, anywhere in the same sentence, keep the frame quiet.
        var unless: [Int]
        var source: String
        var line: Int
        var column: Int
    }

    var conceptNames: [String] = []
    /// Every exact word the phrases use, numbered.
    var wordIDs: [String: Int] = [:]
    /// Per concept, its phrases; each phrase a list of steps.
    var phrases: [[[Step]]] = []
    /// Per concept, the phrases that start with an exact word, by that word's id; the rest are tried everywhere.
    var byFirstWord: [[Int: [Int]]] = []
    var otherPhrases: [[Int]] = []
    /// The concepts that can start with a word (by id) or a stem, through references and optional words too.
    var startsWithWord: [Int: [Int]] = [:]
    var startsWithStem: [String: [Int]] = [:]
    var frames: [Frame] = []
    /// Most words allowed between two parts of a frame.
    var window = 8
    var spelling: [String: [String]] = [:]
    var file = "frames.yaml"

    var isEmpty: Bool { frames.isEmpty }

    /// Every literal word the frames use (so the typo mender leaves them alone).
    var words: Set<String> {
        Set(wordIDs.keys).union(startsWithStem.keys)
    }

    // MARK: matching

    /// Where each concept occurs in a line, found once per line and only where the concept can start.
    struct Occurrences {
        let frames: CrisisFrames
        let tokens: [String]
        let ids: [Int]
        let n: Int
        /// Per concept and position: whether the concept can start there (concept * n + position).
        var canStart: [Bool]
        /// Per concept: whether it can start anywhere in the line.
        var present: [Bool]
        var memo: [[Int]?]
        var found: [[(Int, Int)]?]

        init(frames: CrisisFrames, tokens: [String]) {
            self.frames = frames
            self.tokens = tokens
            n = tokens.count
            ids = tokens.map { frames.wordIDs[$0] ?? -1 }
            let count = frames.phrases.count
            canStart = Array(repeating: false, count: count * max(n, 1))
            present = Array(repeating: false, count: count)
            memo = Array(repeating: nil, count: count * max(n, 1))
            found = Array(repeating: nil, count: count)
            for pos in 0..<n {
                let t = tokens[pos]
                if t == PlainLine.sentenceEnd || t == PlainLine.comma { continue }
                if ids[pos] >= 0, let list = frames.startsWithWord[ids[pos]] {
                    for c in list { canStart[c * n + pos] = true; present[c] = true }
                }
                for (stem, list) in frames.startsWithStem where t.hasPrefix(stem) {
                    for c in list { canStart[c * n + pos] = true; present[c] = true }
                }
            }
        }

        /// Every end position of concept `c` starting at `pos`.
        mutating func ends(_ c: Int, _ pos: Int, depth: Int = 0) -> [Int] {
            guard pos < n, canStart[c * n + pos], depth < 12 else { return [] }
            if let known = memo[c * n + pos] { return known }
            memo[c * n + pos] = [] // a concept reaching itself finds nothing more
            var result: [Int] = []
            for p in frames.otherPhrases[c] { phraseEnds(frames.phrases[c][p], 0, pos, depth: depth, into: &result) }
            if ids[pos] >= 0, let exact = frames.byFirstWord[c][ids[pos]] {
                for p in exact { phraseEnds(frames.phrases[c][p], 0, pos, depth: depth, into: &result) }
            }
            let sorted = Array(Set(result)).sorted()
            memo[c * n + pos] = sorted
            return sorted
        }

        mutating func phraseEnds(_ steps: [Step], _ i: Int, _ pos: Int, depth: Int, into result: inout [Int]) {
            if i == steps.count { result.append(pos); return }
            let step = steps[i]
            if step.optional { phraseEnds(steps, i + 1, pos, depth: depth, into: &result) }
            guard pos < n else { return }
            let id = ids[pos]
            if (id >= 0 && step.words.contains(id)) || (!step.stems.isEmpty && step.stems.contains { tokens[pos].hasPrefix($0) }
                && tokens[pos] != PlainLine.sentenceEnd && tokens[pos] != PlainLine.comma) {
                phraseEnds(steps, i + 1, pos + 1, depth: depth, into: &result)
            }
            for c in step.concepts where canStart[c * n + pos] {
                for end in ends(c, pos, depth: depth + 1) where end > pos {
                    phraseEnds(steps, i + 1, end, depth: depth, into: &result)
                }
            }
        }

        /// All occurrences of a concept in the line, longest first at each start.
        mutating func all(_ c: Int) -> [(Int, Int)] {
            if let known = found[c] { return known }
            var list: [(Int, Int)] = []
            if present[c] {
                for pos in 0..<n where canStart[c * n + pos] {
                    for end in ends(c, pos).reversed() where end > pos { list.append((pos, end)) }
                }
            }
            found[c] = list
            return list
        }
    }
}

extension Safety {
    /// The frames that hold in a line: each with its words, strongest (interrupt, then self-harm, abuse, harm-others) first.
    func frameHits(_ line: PlainedLine) -> [(frame: CrisisFrames.Frame, range: Range<Int>, words: String)] {
        guard !frames.isEmpty else { return [] }
        let tokens = line.framed
        // For negation, "and" starts a new clause too: "he doesn't like them and gets angry" is not a negated anger.
        let clauses = tokens.map { $0 == "and" ? "but" : $0 }
        var seen = CrisisFrames.Occurrences(frames: frames, tokens: tokens)
        let presentNow = self.presentNow(tokens)
        // Sentence number of every token, so a frame never spans two sentences.
        var sentence: [Int] = []
        var n = 0
        for t in tokens { if t == PlainLine.sentenceEnd { n += 1 }; sentence.append(n) }
        var hits: [(frame: CrisisFrames.Frame, range: Range<Int>, words: String)] = []
        var negations: [Int: Bool] = [:]
        for frame in frames.frames where frame.parts.allSatisfy({ seen.present[$0] }) {
            // Parts in order, each not negated, each starting within the window after the one before.
            func place(_ k: Int, after: Int, start: Int) -> Range<Int>? {
                if k == frame.parts.count { return start..<after }
                for (s, e) in seen.all(frame.parts[k]) {
                    let limit = frame.gaps[k] >= 0 ? frame.gaps[k] : frames.window
                    if k > 0 && (s < after || s - after > limit || sentence[s] != sentence[start]) { continue }
                    // A negation counts only when it is not inside an earlier part: in "I don't plan on sticking around"
                    // the "don't" belongs to the first part and does not undo the second.
                    let key = (k == 0 ? 0 : after + 1) &* 65536 &+ s &* 256 &+ e
                    let isNegated: Bool
                    if let known = negations[key] {
                        isNegated = known
                    } else {
                        isNegated = k == 0 ? negated(s..<e, clauses) : negated((s - after)..<(e - after), Array(clauses[after...]))
                        negations[key] = isNegated
                    }
                    if isNegated { continue }
                    if let whole = place(k + 1, after: e, start: k == 0 ? s : start) { return whole }
                }
                return nil
            }
            guard let range = place(0, after: 0, start: 0) else { continue }
            if !presentNow && inPast(range, tokens) { continue }
            let blocked = frame.unless.contains { c in seen.all(c).contains { sentence[$0.0] == sentence[range.lowerBound] } }
            if blocked { continue }
            hits.append((frame, range, tokens[range].joined(separator: " ")))
        }
        let order = ["self-harm", "abuse", "harm-others"]
        func rank(_ f: CrisisFrames.Frame) -> (Int, Int) { (f.action == "ask" ? 1 : 0, order.firstIndex(of: f.category) ?? 9) }
        return hits.sorted { rank($0.frame) < rank($1.frame) }
    }

    /// What the frames make of a line, or nil.
    func framedReading(_ text: String) -> CrisisReading? { framedReading(plained(text)) }

    func framedReading(_ line: PlainedLine) -> CrisisReading? {
        let hits = frameHits(line)
        guard let best = hits.first, let category = CrisisCategory(rawValue: best.frame.category) else { return nil }
        let evidence = hits.filter { $0.frame.category == best.frame.category }
            .map { "\($0.words) [frame \($0.frame.source) at \(frames.file):\($0.frame.line)]" }
        return CrisisReading(category: category, certain: best.frame.action == "interrupt" && !joking(line), evidence: evidence)
    }

    /// The surer of the two readings; when both are as sure, the category that comes first (self-harm, abuse,
    /// harm-others), as the patterns rank their own hits; on a tie, the patterns'.
    func combined(_ fromPatterns: CrisisReading?, _ line: PlainedLine) -> CrisisReading? {
        // A certain self-harm reading cannot be outranked: skip the frames.
        if let fromPatterns, fromPatterns.certain, fromPatterns.category == .selfHarm { return fromPatterns }
        guard let framed = framedReading(line) else { return fromPatterns }
        guard let fromPatterns else { return framed }
        // Means said to be for someone else ("not for me, for her") outrank the self-harm frames read in them.
        if fromPatterns.category == .harmOthers, framed.category == .selfHarm, aimedAway(hits(line)) != nil { return fromPatterns }
        let order: [CrisisCategory] = [.selfHarm, .abuse, .harmOthers]
        func rank(_ r: CrisisReading) -> (Int, Int) { (r.certain ? 0 : 1, order.firstIndex(of: r.category) ?? 9) }
        return rank(framed) < rank(fromPatterns) ? framed : fromPatterns
    }

    /// Takes in the frames: their spellings join the normaliser's, and their words are never "mended" into others.
    mutating func adopt(_ frames: CrisisFrames) {
        self.frames = frames
        rules.normaliser.adopt(frames)
    }
}

extension Safety {
    /// For `mend eval-safety --timing`: the median time to load and compile frames.yaml, in milliseconds.
    public static func framesLoadMilliseconds(directory: URL, rounds: Int = 21) -> (milliseconds: Double, frames: Int, phrases: Int) {
        var times: [Double] = []
        var last = CrisisFrames()
        for _ in 0..<max(1, rounds) {
            var diagnostics: [Diagnostic] = []
            let start = DispatchTime.now().uptimeNanoseconds
            last = CrisisFramesLoader.load(url: directory.appendingPathComponent("frames.yaml"), diagnostics: &diagnostics)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
        }
        return (times.sorted()[times.count / 2], last.frames.count, last.phrases.reduce(0) { $0 + $1.count })
    }

    /// For `mend eval-safety --timing`: the median time of one check, patterns and frames, in microseconds.
    public func checkMicroseconds(_ lines: [String], rounds: Int = 5) -> Double {
        guard !lines.isEmpty else { return 0 }
        var times: [Double] = []
        for _ in 0..<max(1, rounds) {
            let start = DispatchTime.now().uptimeNanoseconds
            for line in lines { _ = check(line) }
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1000 / Double(lines.count))
        }
        return times.sorted()[times.count / 2]
    }
}
