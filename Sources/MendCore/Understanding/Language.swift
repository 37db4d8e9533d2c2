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
}

/// The language rules of `language.yaml`: slang and contractions, typos, negation, contrast, hedges.
public struct Language: Sendable {
    /// Whole words replaced by other words: slang, spellings without apostrophes, synonyms.
    var replace: [String: [String]] = [:]
    var typos: [String: String] = [:]
    /// Contraction endings ("n't", "'m") and the word each stands for; "'s" only after `isWords`.
    var contractions: [(String, String)] = []
    var isWords: Set<String> = []
    var negators: Set<String> = []
    var negationScope = 3
    /// Phrases that start with a negator but do not negate what follows ("can't stop").
    var notNegating: [[String]] = []
    var contrast: Set<String> = []
    var hedges: [[String]] = []
    /// Words a cue phrase may skip over inside it ("not really sure" matches "not sure").
    var fillers: Set<String> = []
    /// Correctly spelled words that are never "corrected".
    var known: Set<String> = []

    /// The fuzzy index: every delete-one variant of a vocabulary word, to the words it came from.
    var vocabulary: Set<String> = []
    var deletes: [String: [String]] = [:]

    /// Builds the typo index over the words the sets care about.
    mutating func index(vocabulary words: Set<String>) {
        vocabulary = words
        deletes = [:]
        for word in words where word.count >= 5 {
            let chars = Array(word)
            deletes[word, default: []].append(word)
            for i in chars.indices {
                var v = chars
                v.remove(at: i)
                deletes[String(v), default: []].append(word)
            }
        }
    }

    /// The vocabulary word a mistyped word most likely meant (one edit away), if any.
    func correct(_ word: String) -> String? {
        if let fixed = typos[word] { return fixed }
        guard word.count >= 5, !vocabulary.contains(word), !known.contains(word), word.allSatisfy(\.isLetter) else { return nil }
        var candidates: Set<String> = []
        if let hit = deletes[word] { candidates.formUnion(hit) }
        let chars = Array(word)
        for i in chars.indices {
            var v = chars
            v.remove(at: i)
            if let hit = deletes[String(v)] { candidates.formUnion(hit) }
        }
        let close = candidates.filter { optimalStringAlignment(word, $0) <= 1 }.sorted()
        // Same first letter first: people rarely mistype the start of a word.
        return close.first { $0.first == word.first } ?? close.first
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
        var current = ""
        var capital = false
        var startOfSentence = true
        func flush() {
            guard !current.isEmpty else { return }
            let raw = current.trimmingCharacters(in: CharacterSet(charactersIn: "'"))
            current = ""
            guard !raw.isEmpty else { return }
            let isName = capital && !startOfSentence && raw != "i" && !raw.hasPrefix("i'")
            startOfSentence = false
            for (word, typed) in expand(raw, fix: fix) {
                out.append(Token(word: stem(word), sentence: sentence, clause: clause, name: isName, typed: typed))
            }
        }
        for ch in text {
            if ch.isLetter || ch.isNumber {
                if current.isEmpty { capital = ch.isUppercase }
                current.append(contentsOf: ch.lowercased())
            } else if ch == "'" || ch == "\u{2019}" || ch == "\u{2018}" || ch == "`" {
                if !current.isEmpty { current.append("'") }
            } else if ch == "*" && !fix {
                // In a cue, "*" stands for one or two words.
                flush()
                out.append(Token(word: "*", sentence: sentence, clause: clause, name: false, typed: nil))
            } else {
                flush()
                switch ch {
                case ".", "!", "?", ";", "\n":
                    sentence += 1
                    clause += 1
                    startOfSentence = true
                case ",", ":", "(", ")", "\u{2014}", "\u{2013}":
                    clause += 1
                default:
                    break
                }
            }
        }
        flush()
        return out
    }

    /// One typed word to the plain words it stands for, each with the typed form when it was corrected.
    private func expand(_ raw: String, fix: Bool) -> [(String, String?)] {
        if let words = replace[raw] { return words.map { ($0, nil) } }
        for (ending, meaning) in contractions where raw.hasSuffix(ending) && raw.count > ending.count {
            let stemWord = String(raw.dropLast(ending.count))
            if ending == "'s" {
                return isWords.contains(stemWord) ? [(stemWord, nil), (meaning, nil)] : expand(stemWord, fix: fix)
            }
            return (replace[stemWord] ?? [stemWord]).map { ($0, nil) } + [(meaning, nil)]
        }
        let word = raw.replacingOccurrences(of: "'", with: "")
        if let words = replace[word] { return words.map { ($0, nil) } }
        if fix, let fixed = correct(word) {
            return (replace[fixed] ?? [fixed]).map { ($0, word) }
        }
        return [(word, nil)]
    }

    /// A light plural fold, applied to lines and cues alike, so "lies" meets "lie" and "friends" meets "friend".
    func stem(_ word: String) -> String {
        guard word.count > 3, word.hasSuffix("s"), !word.hasSuffix("ss"), !word.hasSuffix("us"), !word.hasSuffix("is") else { return word }
        return String(word.dropLast())
    }
}

/// Edit distance counting an adjacent swap as one edit ("decieved" is one from "deceived").
func optimalStringAlignment(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { d[i][0] = i }
    for j in 0...b.count { d[0][j] = j }
    for i in 1...a.count {
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
            }
        }
    }
    return d[a.count][b.count]
}
