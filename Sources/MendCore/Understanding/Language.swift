// How people type, from `dialogs/understanding/language.yaml`: turning a raw line into plain, corrected words.
import Foundation

/// One word of a line after normalising, with where it stands.
struct Token: Sendable, Equatable {
    var word: String
    var sentence: Int
    var clause: Int
    /// Written with a capital letter somewhere other than the start of a sentence (likely a name).
    var name: Bool
    /// The word as typed, when a typo was corrected (for `--explain`).
    var typed: String?
    /// Written with "'s" that owns what follows ("her sister's", "my partner's boss"), not "is" or "has".
    var owner = false
}

/// The language rules of `language.yaml`: slang and contractions, typos, negation, contrast, hedges.
public struct Language: Sendable {
    /// Whole words replaced by other words: slang, spellings without apostrophes, synonyms.
    var replace: [String: [String]] = [:]
    var typos: [String: String] = [:]
    /// Contraction endings ("n't", "'m") and the word each stands for; "'s" only after `isWords`.
    var contractions: [(String, String)] = []
    var isWords: Set<String> = []
    /// Past participles besides the "-ed" ones: "he'd been" is "he had been", not "he would been".
    var participles: Set<String> = []
    var negators: Set<String> = []
    var negationScope = 3
    /// Phrases that start with a negator but do not negate what follows ("can't stop").
    var notNegating: [[String]] = []
    var contrast: Set<String> = []
    /// Contrast words that only count at the start of a clause ("not sad, just angry", but not "he just left").
    var clauseContrast: Set<String> = []
    var hedges: [[String]] = []
    /// Words a cue phrase may skip over inside it ("not really sure" matches "not sure").
    var fillers: Set<String> = []
    /// Correctly spelled words that are never "corrected".
    var known = WordList()

    /// The typo index: the vocabulary's longer words, with a bit mask of their letters for a quick first filter.
    var vocabulary = WordList()
    var candidates: [(word: String, letters: [UInt8], mask: UInt32)] = []
    /// Vocabulary words by their rough lemma, so "promising" finds "promise" and "gaslights" finds "gaslighting".
    var lemmas: [String: String] = [:]

    /// Builds the typo index over the words the sets care about.
    /// `initials`: when given, only words starting with one of these bytes are indexed: enough for a line made of
    /// them, since a correction keeps the first letter and a lemma only trims the end.
    mutating func index(vocabulary all: WordList, initials: Set<UInt8>? = nil) {
        vocabulary = all
        let words = all.words(initials: initials)
        // No sorting here (start-up time): ties are settled where they are used.
        candidates = words.filter { $0.utf8.count >= 5 && $0.utf8.allSatisfy { $0 >= 97 && $0 <= 122 } }
            .map { ($0, Array($0.utf8), Language.mask($0.utf8)) }
        lemmas = [:]
        // A lemma keeps a word's first two letters (at least three are left), so for a line only words whose second
        // letter is one of its letters too can share a lemma with a word of it.
        var second = [Bool](repeating: initials == nil, count: 256)
        for b in initials ?? [] { second[Int(b)] = true }
        for word in words where word.utf8.count >= 4 && second[Int(word.utf8[word.utf8.index(after: word.utf8.startIndex)])] {
            let key = Language.lemma(word)
            // The shortest form wins, so a lemma leads to the plainest word ("promise" before "promised").
            if let held = lemmas[key], held.utf8.count < word.utf8.count || (held.utf8.count == word.utf8.count && held < word) { continue }
            lemmas[key] = word
        }
    }

    /// A rough lemma for English inflections: "promising", "promised", "promises" and "promise" all give "promis".
    static func lemma(_ word: String) -> String {
        var w = Array(word.utf8)
        func drop(_ n: Int) { w.removeLast(n) }
        func ends(_ s: String) -> Bool { w.count > s.utf8.count + 2 && w.suffix(s.utf8.count).elementsEqual(s.utf8) }
        if ends("ies") || ends("ied") { drop(3); w.append(121) } else if ends("ing") { drop(3) } else if ends("ed") { drop(2) } else if ends("es") { drop(2) } else if ends("s") && !ends("ss") { drop(1) }
        // Undouble a final consonant ("stopped" to "stop") and drop a final "e" ("promise" to "promis").
        if w.count > 3, w[w.count - 1] == w[w.count - 2], !"aeiouls".utf8.contains(w[w.count - 1]) { drop(1) }
        if w.count > 3, w.last == 101 { drop(1) }
        return String(decoding: w, as: UTF8.self)
    }

    static func mask<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
        var m: UInt32 = 0
        for b in bytes where b >= 97 && b <= 122 { m |= 1 << UInt32(b - 97) }
        return m
    }

    /// The vocabulary word a mistyped word most likely meant (one edit away), if any.
    func correct(_ word: String) -> String? {
        if let fixed = typos[word] { return fixed }
        let letters = Array(word.utf8)
        guard letters.count >= 5, letters.allSatisfy({ $0 >= 97 && $0 <= 122 }), !vocabulary.contains(word), !vocabulary.contains(stem(word)) else { return nil }
        if let form = lemmas[Language.lemma(word)], form != word { return form }
        guard !known.contains(word) else { return nil }
        let mask = Language.mask(letters)
        var best: String?
        for c in candidates where abs(c.letters.count - letters.count) <= 1 && (c.mask ^ mask).nonzeroBitCount <= 2 {
            // People rarely mistype the first letter; a different first letter is usually a different word ("missing", "kissing").
            guard c.letters[0] == letters[0], optimalStringAlignment(letters, c.letters) <= 1 else { continue }
            if best.map({ c.word < $0 }) ?? true { best = c.word }
        }
        return best
    }

    /// The words of a cue phrase, normalised the way a line is (no typo fixing: cues are the vocabulary).
    func phrase(_ text: String) -> [String] {
        tokens(text, fix: false).map(\.word)
    }

    /// Splits a line into sentences, clauses and plain words: lower case, contractions and slang expanded,
    /// typos corrected, a light plural "s" removed.
    func tokens(_ text: String, fix: Bool = true) -> [Token] {
        var out: [Token] = []
        var sentence = 0, clause = 0
        var current = String.UnicodeScalarView()
        var capital = false
        var startOfSentence = true
        func flush() {
            while let last = current.last, last == "'" { current.removeLast() }
            guard !current.isEmpty else { return }
            let raw = String(current)
            current = String.UnicodeScalarView()
            let isName = capital && !startOfSentence && raw != "i" && !raw.hasPrefix("i'")
            startOfSentence = false
            let expanded = expand(raw, fix: fix)
            for (word, typed) in expanded {
                out.append(Token(word: stem(word), sentence: sentence, clause: clause, name: isName, typed: typed))
            }
            if expanded.count == 1, raw.hasSuffix("'s"), !isWords.contains(String(raw.dropLast(2))) { out[out.count - 1].owner = true }
        }
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if (v >= 97 && v <= 122) || (v >= 48 && v <= 57) {
                if current.isEmpty { capital = false }
                current.append(scalar)
            } else if v >= 65 && v <= 90 {
                if current.isEmpty { capital = true }
                current.append(Unicode.Scalar(v + 32)!)
            } else if v > 127 && scalar.properties.isAlphabetic {
                if current.isEmpty { capital = scalar.properties.isUppercase }
                current.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            } else if v == 39 || v == 0x2019 || v == 0x2018 || v == 96 {
                if !current.isEmpty { current.append("'") }
            } else if v == 42 && !fix {
                // In a cue, "*" stands for one or two words.
                flush()
                out.append(Token(word: "*", sentence: sentence, clause: clause, name: false, typed: nil))
            } else {
                flush()
                switch v {
                case 46, 33, 63, 59, 10:  // . ! ? ; newline
                    sentence += 1
                    clause += 1
                    startOfSentence = true
                case 44, 58, 40, 41, 0x2014, 0x2013:  // , : ( ) dashes
                    clause += 1
                default:
                    break
                }
            }
        }
        flush()
        // "'d" before a past participle is "had": "she'd paid", "he'd been", "i'd never told him".
        for i in out.indices where out[i].word == "would" {
            var j = i + 1
            while j < out.count, out[j].sentence == out[i].sentence, negators.contains(out[j].word) || fillers.contains(out[j].word) { j += 1 }
            guard j < out.count, out[j].sentence == out[i].sentence else { continue }
            let next = out[j].typed ?? out[j].word
            if participles.contains(next) || (next.count > 4 && next.hasSuffix("ed")) { out[i].word = "had" }
        }
        // "'s" before a past participle is "has": "she's found the letters", "he's lied for years", "she's been".
        for i in out.indices where out[i].word == "is" && i > 0 && isWords.contains(out[i - 1].word) && out[i - 1].sentence == out[i].sentence {
            var j = i + 1
            while j < out.count, out[j].sentence == out[i].sentence, negators.contains(out[j].word) || fillers.contains(out[j].word) { j += 1 }
            guard j < out.count, out[j].sentence == out[i].sentence else { continue }
            if participles.contains(out[j].typed ?? out[j].word) { out[i].word = "has" }
        }
        return out
    }

    /// One typed word to the plain words it stands for, each with the typed form when it was corrected.
    private func expand(_ raw: String, fix: Bool) -> [(String, String?)] {
        if let words = replace[raw] { return words.map { ($0, nil) } }
        let apostrophe = raw.utf8.contains(39)
        for (ending, meaning) in contractions where apostrophe && raw.hasSuffix(ending) && raw.count > ending.count {
            let stemWord = String(raw.dropLast(ending.count))
            if ending == "'s" {
                return isWords.contains(stemWord) ? [(stemWord, nil), (meaning, nil)] : expand(stemWord, fix: fix)
            }
            return (replace[stemWord] ?? [stemWord]).map { ($0, nil) } + [(meaning, nil)]
        }
        let word = apostrophe ? String(raw.unicodeScalars.filter { $0 != "'" }) : raw
        if let words = replace[word] { return words.map { ($0, nil) } }
        if fix, let fixed = correct(word) {
            // An inflection of the same word is no typo worth showing.
            let typed = stem(fixed) == stem(word) ? nil : word
            return (replace[fixed] ?? [fixed]).map { ($0, typed) }
        }
        return [(word, nil)]
    }

    /// A light plural fold, applied to lines and cues alike, so "lies" meets "lie" and "friends" meets "friend".
    func stem(_ word: String) -> String {
        guard word.count > 3, word.hasSuffix("s"), !word.hasSuffix("ss"), !word.hasSuffix("us"), !word.hasSuffix("is") else { return word }
        return String(word.dropLast())
    }
}

/// A set of words held as one run of bytes in byte order, the words split by the unit separator (as a compiled
/// copy lists them): made from a copy without hashing a word, and searched by halving. A line asks about a few words.
struct WordList: Sendable {
    private var bytes: [UInt8] = []
    /// Where each word starts in `bytes`; it ends at the next separator, or the end.
    private var starts: [Int32] = []

    init() {}

    init<S: Sequence>(_ words: S) where S.Element == String {
        let sorted = Set(words).filter { !$0.isEmpty }.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
        for word in sorted {
            if !bytes.isEmpty { bytes.append(0x1F) }
            starts.append(Int32(bytes.count))
            bytes += word
        }
    }

    /// A list field (words split by the unit separator; empty items skipped, as `CompiledCopy.items` does). Written in
    /// byte order, it is taken as it stands; otherwise (an older or hand-made list) it is sorted first.
    init(field: String) {
        let bytes = Array(field.utf8)
        var ordered = true
        var kept: [Int32] = []
        bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return }
            kept.reserveCapacity(b.count / 6)
            var from = 0, previous = 0..<0
            while from <= b.count {
                let to = memchr(base + from, 0x1F, b.count - from).map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base } ?? b.count
                // An empty item, or one not after the one before: the list is made again from its items.
                if to == from { ordered = false; break }
                if !kept.isEmpty {
                    let order = memcmp(base + previous.lowerBound, base + from, min(previous.count, to - from))
                    if !(order < 0 || (order == 0 && previous.count < to - from)) { ordered = false; break }
                }
                previous = from..<to
                kept.append(Int32(from))
                from = to + 1
            }
        }
        if ordered { self.init(bytes: bytes, starts: kept) } else { self.init(CompiledCopy.items(field)) }
    }

    private init(bytes: [UInt8], starts: [Int32]) {
        self.bytes = bytes
        self.starts = starts
    }

    var count: Int { starts.count }
    var isEmpty: Bool { starts.isEmpty }

    private func end(of i: Int) -> Int { i + 1 < starts.count ? Int(starts[i + 1]) - 1 : bytes.count }

    func word(at i: Int) -> String {
        String(decoding: bytes[Int(starts[i])..<end(of: i)], as: UTF8.self)
    }

    /// Every word, in byte order.
    var words: [String] { (0..<count).map(word(at:)) }

    /// The words starting with one of `initials` (all when nil), in byte order.
    func words(initials: Set<UInt8>?) -> [String] {
        guard let initials else { return words }
        var out: [String] = []
        for i in 0..<count where initials.contains(bytes[Int(starts[i])]) { out.append(word(at: i)) }
        return out
    }

    func contains(_ word: String) -> Bool {
        var word = word
        return word.withUTF8 { key in
            bytes.withUnsafeBufferPointer { b in
                var low = 0, high = starts.count - 1
                while low <= high {
                    let mid = (low + high) / 2
                    let start = Int(starts[mid]), length = end(of: mid) - start
                    var order = key.count == 0 ? 0 : memcmp(key.baseAddress!, b.baseAddress! + start, min(key.count, length))
                    if order == 0 { order = key.count == length ? 0 : (key.count < length ? -1 : 1) }
                    if order == 0 { return true }
                    if order < 0 { high = mid - 1 } else { low = mid + 1 }
                }
                return false
            }
        }
    }
}

/// Edit distance counting an adjacent swap as one edit ("decieved" is one from "deceived").
func optimalStringAlignment(_ a: [UInt8], _ b: [UInt8]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    let width = b.count + 1
    var d = [Int](repeating: 0, count: (a.count + 1) * width)
    for i in 0...a.count { d[i * width] = i }
    for j in 0...b.count { d[j] = j }
    for i in 1...a.count {
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            var value = min(d[(i - 1) * width + j] + 1, d[i * width + j - 1] + 1, d[(i - 1) * width + j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                value = min(value, d[(i - 2) * width + j - 2] + 1)
            }
            d[i * width + j] = value
        }
    }
    return d[a.count * width + b.count]
}
