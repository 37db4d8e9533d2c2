// Crisis frames: concept word lists combined in order within one sentence (dialogs/safety/frames.yaml), read beside the patterns.
import Foundation

/// The frames' knowledge, compiled to plain values (arrays and dictionaries of strings and ints) so it can be cached as it is.
struct CrisisFrames: Sendable {
    /// One word position of a concept phrase: exact words, `kill*` stems, `{concept}` references (by index); `optional` may be skipped.
    struct Step: Sendable, Equatable {
        var words: [String] = []
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
    /// Per concept, its phrases; each phrase a list of steps.
    var phrases: [[[Step]]] = []
    /// Per concept, the phrases that start with an exact word, by that word; the rest are tried everywhere.
    var byFirstWord: [[String: [Int]]] = []
    var otherPhrases: [[Int]] = []
    var frames: [Frame] = []
    /// Most words allowed between two parts of a frame.
    var window = 8
    var spelling: [String: [String]] = [:]
    var file = "frames.yaml"

    var isEmpty: Bool { frames.isEmpty }

    /// Every literal word the frames use (so the typo mender leaves them alone).
    var words: Set<String> {
        var all: Set<String> = []
        for concept in phrases { for phrase in concept { for step in phrase { all.formUnion(step.words); all.formUnion(step.stems) } } }
        return all
    }

    // MARK: matching

    /// Where each concept occurs in a line: per concept, the (start, end) pairs, found once per line.
    struct Occurrences {
        var frames: CrisisFrames
        var tokens: [String]
        var memo: [Int: [Int]] = [:]
        var found: [Int: [(Int, Int)]] = [:]

        init(frames: CrisisFrames, tokens: [String]) {
            self.frames = frames
            self.tokens = tokens
        }

        /// Every end position of concept `c` starting at `pos`.
        mutating func ends(_ c: Int, _ pos: Int, depth: Int = 0) -> [Int] {
            let key = c &* 4096 &+ pos
            if let known = memo[key] { return known }
            guard pos < tokens.count, depth < 12 else { return [] }
            memo[key] = [] // a concept reaching itself finds nothing more
            var result: Set<Int> = []
            let first = tokens[pos]
            var candidates = frames.otherPhrases[c]
            if let exact = frames.byFirstWord[c][first] { candidates += exact }
            for p in candidates {
                result.formUnion(phraseEnds(frames.phrases[c][p], 0, pos, depth: depth))
            }
            let sorted = result.sorted()
            memo[key] = sorted
            return sorted
        }

        mutating func phraseEnds(_ steps: [Step], _ i: Int, _ pos: Int, depth: Int) -> Set<Int> {
            if i == steps.count { return [pos] }
            let step = steps[i]
            var result: Set<Int> = []
            if step.optional { result.formUnion(phraseEnds(steps, i + 1, pos, depth: depth)) }
            guard pos < tokens.count else { return result }
            let t = tokens[pos]
            if t != PlainLine.sentenceEnd && t != PlainLine.comma
                && (step.words.contains(t) || step.stems.contains { t.hasPrefix($0) }) {
                result.formUnion(phraseEnds(steps, i + 1, pos + 1, depth: depth))
            }
            for c in step.concepts {
                for end in ends(c, pos, depth: depth + 1) where end > pos {
                    result.formUnion(phraseEnds(steps, i + 1, end, depth: depth))
                }
            }
            return result
        }

        /// All occurrences of a concept in the line, longest first at each start.
        mutating func all(_ c: Int) -> [(Int, Int)] {
            if let known = found[c] { return known }
            var list: [(Int, Int)] = []
            for pos in 0..<tokens.count {
                for end in ends(c, pos).reversed() where end > pos { list.append((pos, end)) }
            }
            found[c] = list
            return list
        }
    }
}

extension Safety {
    /// The line's words with idioms set aside, as the patterns see them.
    func framedTokens(_ text: String) -> [String] {
        var tokens = rules.normaliser.plain(text).tokens
        let lineWords = Set(tokens)
        for idiom in rules.idioms where rules.matcher.couldMatch(idiom.pieces, words: lineWords, tokens: tokens) {
            for range in rules.matcher.allMatches(idiom.pieces, in: tokens) {
                for i in range { tokens[i] = PlainLine.sentenceEnd }
            }
        }
        return tokens
    }

    /// The frames that hold in a line: each with its words, strongest (interrupt, then self-harm, abuse, harm-others) first.
    func frameHits(_ text: String) -> [(frame: CrisisFrames.Frame, range: Range<Int>, words: String)] {
        guard !frames.isEmpty else { return [] }
        let tokens = framedTokens(text)
        // For negation, "and" starts a new clause too: "he doesn't like them and gets angry" is not a negated anger.
        let clauses = tokens.map { $0 == "and" ? "but" : $0 }
        var seen = CrisisFrames.Occurrences(frames: frames, tokens: tokens)
        let presentNow = rules.present.contains { rules.matcher.firstMatch($0.pieces, in: tokens) != nil }
        // Sentence number of every token, so a frame never spans two sentences.
        var sentence: [Int] = []
        var n = 0
        for t in tokens { if t == PlainLine.sentenceEnd { n += 1 }; sentence.append(n) }
        var hits: [(frame: CrisisFrames.Frame, range: Range<Int>, words: String)] = []
        for frame in frames.frames {
            // Parts in order, each not negated, each starting within the window after the one before.
            func place(_ k: Int, after: Int, start: Int) -> Range<Int>? {
                if k == frame.parts.count { return start..<after }
                for (s, e) in seen.all(frame.parts[k]) {
                    let limit = frame.gaps[k] >= 0 ? frame.gaps[k] : frames.window
                    if k > 0 && (s < after || s - after > limit || sentence[s] != sentence[start]) { continue }
                    // A negation counts only when it is not inside an earlier part: in "I don't plan on sticking around"
                    // the "don't" belongs to the first part and does not undo the second.
                    if k == 0 ? negated(s..<e, clauses) : negated((s - after)..<(e - after), Array(clauses[after...])) { continue }
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
    func framedReading(_ text: String) -> CrisisReading? {
        let hits = frameHits(text)
        guard let best = hits.first, let category = CrisisCategory(rawValue: best.frame.category) else { return nil }
        let evidence = hits.filter { $0.frame.category == best.frame.category }
            .map { "\($0.words) [frame \($0.frame.source) at \(frames.file):\($0.frame.line)]" }
        let tokens = rules.normaliser.plain(text).tokens
        let joking = rules.soften.contains { rules.matcher.firstMatch($0.pieces, in: tokens) != nil }
        return CrisisReading(category: category, certain: best.frame.action == "interrupt" && !joking, evidence: evidence)
    }

    /// The patterns' reading, or the frames' when the patterns found nothing or only a question and the frames are surer.
    func combined(_ fromPatterns: CrisisReading?, _ text: String) -> CrisisReading? {
        if let fromPatterns, fromPatterns.certain { return fromPatterns }
        guard let framed = framedReading(text) else { return fromPatterns }
        guard let fromPatterns else { return framed }
        return framed.certain ? framed : fromPatterns
    }

    /// Takes in the frames: their spellings join the normaliser's, and their words are never "mended" into others.
    mutating func adopt(_ frames: CrisisFrames) {
        self.frames = frames
        for (word, to) in frames.spelling where rules.normaliser.spelling[word] == nil { rules.normaliser.spelling[word] = to }
        rules.normaliser.keep.formUnion(frames.words)
    }
}
