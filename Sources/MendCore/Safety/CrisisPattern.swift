// Crisis patterns: normalising a line into words, and matching word patterns with slots, options and gaps.
import Foundation

/// A line made plain for matching: lower case, no apostrophes, typos mended, clause marks kept as tokens.
struct PlainLine: Sendable {
    /// Words, with "#" for a sentence end and "," for a comma.
    var tokens: [String]

    static let sentenceEnd = "#"
    static let comma = ","
}

/// One piece of a pattern.
indirect enum PatternPiece: Equatable, Sendable {
    /// A word out of a set; `prefixes` are `kill*`-style stems.
    case word(Set<String>, prefixes: [String])
    /// Any phrase of a named slot.
    case slot(String)
    /// Phrases written inline: `(wasnt here|gone)`.
    case group([[PatternPiece]])
    case optional(PatternPiece)
    /// Up to n words of any kind, never across a sentence end or over a negation.
    case gap(Int)
    /// `$`: the end of a sentence or of the line.
    case end
}

/// A compiled pattern, with where it was written.
struct CrisisPattern: Sendable {
    var pieces: [PatternPiece]
    var source: String
    var place: Place
}

/// The slots patterns refer to: each a list of phrases, each phrase a list of pieces.
typealias PatternSlots = [String: [[PatternPiece]]]

/// Why a pattern could not be compiled, in words for the writer.
struct PatternProblem: Error {
    var message: String
}

enum PatternSyntax {
    /// Compiles `{me} want* to die|dye ..? now?`; or says what is malformed.
    static func compile(_ text: String, slotNames: Set<String>?, allowSlots: Bool = true) -> Result<[PatternPiece], PatternProblem> {
        var pieces: [PatternPiece] = []
        // Plain Swift here, not Foundation: this runs for every pattern at every start-up.
        let plain = String(text.lowercased().unicodeScalars.filter { $0 != "'" && $0 != "’" })
        // Words, keeping a parenthesised group with its spaces as one.
        var words: [String] = []
        var depth = 0
        var current = ""
        for c in plain {
            if c == "(" { depth += 1 }
            if c == ")" { depth -= 1 }
            if c == " " && depth == 0 {
                if !current.isEmpty { words.append(current) }
                current = ""
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { words.append(current) }
        if depth != 0 { return .failure(PatternProblem(message: "a '(' without its ')'")) }
        if words.isEmpty { return .failure(PatternProblem(message: "an empty pattern")) }
        for raw in words {
            var word = raw
            var optional = false
            if word.hasSuffix("?") && word.count > 1 {
                optional = true
                word.removeLast()
            }
            var piece: PatternPiece
            if word.hasPrefix("(") && word.hasSuffix(")") {
                var phrases: [[PatternPiece]] = []
                for phrase in word.dropFirst().dropLast().split(separator: "|").map(String.init) {
                    switch compile(phrase, slotNames: slotNames, allowSlots: allowSlots) {
                    case let .success(p): phrases.append(p)
                    case let .failure(problem): return .failure(problem)
                    }
                }
                piece = .group(phrases)
            } else if word == "$" {
                piece = .end
            } else if word == ".." || word == "..." || word == "...." {
                piece = .gap(word == ".." ? 3 : word == "..." ? 6 : 12)
            } else if word.hasPrefix("{") && word.hasSuffix("}") {
                let name = String(word.dropFirst().dropLast())
                guard allowSlots else { return .failure(PatternProblem(message: "a slot phrase cannot use another slot ({\(name)})")) }
                if let slotNames, !slotNames.contains(name) {
                    let hint = closest(name, in: Array(slotNames)).map { " (did you mean {\($0)}?)" } ?? ""
                    return .failure(PatternProblem(message: "no slot called {\(name)}\(hint)"))
                }
                piece = .slot(name)
            } else {
                var exact: Set<String> = []
                var prefixes: [String] = []
                for alt in word.split(separator: "|").map(String.init) {
                    guard !alt.isEmpty, alt.utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 42 || $0 >= 128 }) || alt.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "*" }) else {
                        return .failure(PatternProblem(message: "'\(raw)' is not a word, a slot like {me}, an alternative like a|b, or a gap '..'"))
                    }
                    if alt.hasSuffix("*") { prefixes.append(String(alt.dropLast())) } else { exact.insert(alt) }
                }
                piece = .word(exact, prefixes: prefixes)
            }
            pieces.append(optional ? .optional(piece) : piece)
        }
        return .success(pieces)
    }

    /// The literal words of a pattern (for typo mending), prefixes included as stems.
    static func words(of pieces: [PatternPiece]) -> [String] {
        pieces.flatMap { piece -> [String] in
            switch piece {
            case let .word(set, prefixes): return Array(set) + prefixes
            case let .optional(p): return words(of: [p])
        case let .group(phrases): return phrases.flatMap { words(of: $0) }
            default: return []
            }
        }
    }
}

/// Matches compiled patterns against plain lines.
struct PatternMatcher: Sendable {
    var slots: PatternSlots
    /// Words a gap may not skip (negations), so "he never hits me" does not match "{he} .. hit* me".
    var gapStops: Set<String>

    func matchesWord(_ token: String, _ set: Set<String>, _ prefixes: [String]) -> Bool {
        if token == PlainLine.sentenceEnd || token == PlainLine.comma { return false }
        return set.contains(token) || prefixes.contains { token.hasPrefix($0) }
    }

    /// Every position where `pieces[index...]` can end when it starts at `pos`.
    func ends(_ pieces: [PatternPiece], _ index: Int, _ tokens: [String], _ pos: Int, depth: Int = 0) -> Set<Int> {
        if index == pieces.count { return [pos] }
        if depth > 40 { return [] }
        switch pieces[index] {
        case let .word(set, prefixes):
            guard pos < tokens.count, matchesWord(tokens[pos], set, prefixes) else { return [] }
            return ends(pieces, index + 1, tokens, pos + 1, depth: depth)
        case let .slot(name):
            var result: Set<Int> = []
            for phrase in slots[name] ?? [] {
                for end in ends(phrase, 0, tokens, pos, depth: depth + 1) {
                    result.formUnion(ends(pieces, index + 1, tokens, end, depth: depth))
                }
            }
            return result
        case let .group(phrases):
            var result: Set<Int> = []
            for phrase in phrases {
                for end in ends(phrase, 0, tokens, pos, depth: depth + 1) {
                    result.formUnion(ends(pieces, index + 1, tokens, end, depth: depth))
                }
            }
            return result
        case let .optional(piece):
            var result = ends(pieces, index + 1, tokens, pos, depth: depth)
            for end in ends([piece], 0, tokens, pos, depth: depth + 1) {
                result.formUnion(ends(pieces, index + 1, tokens, end, depth: depth))
            }
            return result
        case .end:
            guard pos == tokens.count || tokens[pos] == PlainLine.sentenceEnd else { return [] }
            return ends(pieces, index + 1, tokens, pos, depth: depth)
        case let .gap(n):
            var result: Set<Int> = []
            var k = 0
            while k <= n, pos + k <= tokens.count {
                result.formUnion(ends(pieces, index + 1, tokens, pos + k, depth: depth))
                if pos + k < tokens.count {
                    let t = tokens[pos + k]
                    if t == PlainLine.sentenceEnd || gapStops.contains(t) { break }
                }
                k += 1
            }
            return result
        }
    }

    /// False when a word the pattern cannot do without is nowhere in the line, so long lines skip most patterns cheaply.
    func couldMatch(_ pieces: [PatternPiece], words: Set<String>, tokens: [String]) -> Bool {
        for piece in pieces {
            guard case let .word(set, prefixes) = piece else { continue }
            if !set.isDisjoint(with: words) { return true }
            return prefixes.contains { prefix in tokens.contains { $0.hasPrefix(prefix) } }
        }
        return true
    }

    /// The first (leftmost, longest) match: start and end token positions.
    func firstMatch(_ pieces: [PatternPiece], in tokens: [String], from: Int = 0) -> Range<Int>? {
        guard from <= tokens.count else { return nil }
        for start in from..<max(from, tokens.count) {
            if let end = ends(pieces, 0, tokens, start).max(), end > start { return start..<end }
        }
        return nil
    }

    /// Every non-overlapping match, left to right.
    func allMatches(_ pieces: [PatternPiece], in tokens: [String]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var from = 0
        while let range = firstMatch(pieces, in: tokens, from: from) {
            result.append(range)
            from = range.upperBound
        }
        return result
    }
}

/// Normalising: the same steps for the data's vocabulary and the user's line.
struct Normaliser: Sendable {
    /// Single words to their usual spelling or expansion ("gonna" -> "going to", "kil" -> "kill").
    var spelling: [String: [String]] = [:]
    /// The words a one-letter slip is mended to ("sucide" -> "suicide"), from crisis.yaml's `mend`.
    var vocabulary: Set<String> = []
    /// Words never mended: every word the patterns use, and crisis.yaml's `keep`.
    var keep: Set<String> = []

    func plain(_ text: String) -> PlainLine {
        var tokens: [String] = []
        // `keep` is asked only about these words and each with a "g" added (see `asked`).
        for raw in Normaliser.rawWords(text) { tokens += plainWord(raw) }
        return Normaliser.compacted(tokens)
    }

    /// The same as `plain`, for many lines of one batch (the examples a learned reader is taught from):
    /// `known` remembers what each word became, so a word is spelled and mended once, not once a line.
    func plain(_ text: String, known: inout [String: [String]]) -> PlainLine {
        var tokens: [String] = []
        for raw in Normaliser.rawWords(text) {
            if let words = known[raw] {
                tokens += words
            } else {
                let words = plainWord(raw)
                known[raw] = words
                tokens += words
            }
        }
        return Normaliser.compacted(tokens)
    }

    /// What one raw word becomes: its usual spelling, a mended slip, or itself. Depends on nothing but the word.
    func plainWord(_ raw: String) -> [String] {
        var word = raw
        // A dropped g ("endin", "cuttin") is put back when the full word is one the patterns know.
        if word.hasSuffix("in"), word.count > 4, spelling[word] == nil, keep.contains(word + "g") || vocabulary.contains(word + "g") { word += "g" }
        if let replaced = spelling[word] { return replaced }
        if let mended = mend(word) { return spelling[mended] ?? [mended] }
        return [word]
    }

    private static func compacted(_ tokens: [String]) -> PlainLine {
        // Repeated marks say nothing more.
        var compact: [String] = []
        for t in tokens where !(t == PlainLine.sentenceEnd && compact.last == PlainLine.sentenceEnd) && !(t == PlainLine.comma && compact.last == PlainLine.comma) {
            // A sentence that opens with "with" finishes the one before ("im done. with everything"): no end between them.
            if t == "with", compact.last == PlainLine.sentenceEnd, compact.count > 1 { compact.removeLast() }
            compact.append(t)
        }
        return PlainLine(tokens: compact)
    }

    /// A line's words before spelling and mending: lower case, sentence marks as `#` and `,`, long runs of one letter squashed.
    static func rawWords(_ text: String) -> [String] {
        text.utf8.allSatisfy({ $0 < 128 }) ? asciiWords(text) : scalarWords(text)
    }

    /// `rawWords` for any text, one Unicode scalar at a time.
    static func scalarWords(_ text: String) -> [String] {
        var chars = ""
        for scalar in text.lowercased().unicodeScalars {
            switch scalar {
            case "'", "’", "‘", "`", "´": continue
            case ".", "!", "?", ";", "\n", ":": chars += " # "
            case ",", "(", ")", "–", "—", "\"", "“", "”": chars += " , "
            default:
                if CharacterSet.alphanumerics.contains(scalar) { chars.unicodeScalars.append(scalar) } else { chars += " " }
            }
        }
        return chars.split(separator: " ").map { squash(String($0)) }
    }

    /// `rawWords` for a line of plain ASCII (nearly every line), byte by byte: the same words, without a
    /// character-set lookup for each letter. ASCII letters and digits are exactly the alphanumerics there.
    static func asciiWords(_ text: String) -> [String] {
        var words: [String] = []
        var word: [UInt8] = []
        func flush() {
            guard !word.isEmpty else { return }
            // "sooooo" -> "soo", as `squash` does.
            var out: [UInt8] = []
            out.reserveCapacity(word.count)
            var run = 0
            var last: UInt8 = 0
            for b in word {
                if b == last { run += 1 } else { run = 1; last = b }
                if run <= 2 { out.append(b) }
            }
            words.append(String(decoding: out, as: UTF8.self))
            word.removeAll(keepingCapacity: true)
        }
        for b in text.utf8 {
            switch b {
            case 39, 96: continue // ' `
            case 46, 33, 63, 59, 10, 58: flush(); words.append(PlainLine.sentenceEnd) // . ! ? ; newline :
            case 44, 40, 41, 34: flush(); words.append(PlainLine.comma) // , ( ) "
            case 65...90: word.append(b + 32)
            case 97...122, 48...57: word.append(b)
            default: flush()
            }
        }
        flush()
        return words
    }

    /// Every word `plain` can ask `keep` about for this line: so a copy read for one line need only know those (Safety.load).
    static func asked(_ text: String) -> Set<String> {
        var out: Set<String> = []
        for word in rawWords(text) {
            out.insert(word)
            out.insert(word + "g")
        }
        return out
    }

    /// Takes in the frames' spelling (where it has none of its own) and words (never mended).
    mutating func adopt(_ frames: CrisisFrames) {
        for (word, to) in frames.spelling where spelling[word] == nil { spelling[word] = to }
        keep.formUnion(frames.words)
    }

    /// "sooooo" -> "soo": three or more of one letter become two.
    static func squash(_ word: String) -> String {
        var out = ""
        var run = 0
        var last: Character?
        for c in word {
            if c == last { run += 1 } else { run = 1; last = c }
            if run <= 2 { out.append(c) }
        }
        return out
    }

    /// A one-letter slip (or two letters swapped) in a long vocabulary word.
    func mend(_ word: String) -> String? {
        let count = word.count
        guard count >= 4, !vocabulary.contains(word), !keep.contains(word), word.allSatisfy(\.isLetter) else { return nil }
        let letters = Array(word)
        var best: String?
        // (A word has no more letters than bytes: one far shorter in bytes is passed over without counting its letters.)
        for candidate in vocabulary where candidate.utf8.count >= max(4, count - 1) {
            let other = Array(candidate)
            guard abs(other.count - count) <= 1 && other.count >= 4 else { continue }
            // Short words are mended only for swapped letters ("lfie"), so "pulls" never becomes "pills".
            let swapOnly = count < 6
            if Normaliser.oneSlip(letters, other), slipDistance(word, candidate) == 1 && (!swapOnly || (count == other.count && letters.sorted() == other.sorted())) {
                if best != nil { return nil } // two candidates: do not guess
                best = candidate
            }
        }
        return best
    }

    /// Whether `slipDistance(a, b)` is 1, found in one pass instead of a table: one letter changed, two
    /// neighbours swapped, or one letter more or less. (Asked first, so the table is made only for the few that are.)
    static func oneSlip(_ a: [Character], _ b: [Character]) -> Bool {
        a != b && withinOneEdit(a, b)
    }

    /// Edit distance where swapping two neighbours counts as one.
    func slipDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}
