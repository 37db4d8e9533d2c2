// A draft apology as plain words: lower case, contractions and typos folded, each word keeping where it was typed.
import Foundation

/// One plain word of a draft, with its sentence and clause and the characters it came from.
struct DraftWord: Sendable, Equatable {
    var word: String
    var sentence: Int
    var clause: Int
    /// Offsets (in Characters) of the typed word in the draft, for quoting the user's own words.
    var start: Int
    var end: Int
}

/// How people type, from the `language` part of apology.yaml.
struct DraftLanguage: Sendable, Equatable {
    /// Whole typed words to the plain words they stand for ("dont" to "do not", "sory" to "sorry").
    var words: [String: [String]] = [:]
    /// Words worth correcting when typed one letter off ("apologise", "stressed").
    var fuzzy: [String] = []
    var negators: Set<String> = []
    /// Words that start a new clause: a negation before one of them does not reach past it.
    var barriers: Set<String> = []

    static let endings: [(String, [String])] = [
        ("n't", ["not"]), ("'m", ["am"]), ("'re", ["are"]), ("'ve", ["have"]), ("'ll", ["will"]), ("'d", ["would"]),
    ]
    static let participles: Set<String> = ["had", "been", "gone", "done", "told", "said", "seen", "taken", "got", "gotten", "known", "kept", "left", "lost", "spent", "sent", "broken", "hidden", "read", "slept", "met", "made", "paid", "shown", "given", "put", "let", "come"]
    static let isWords: Set<String> = ["it", "that", "he", "she", "what", "there", "who", "here", "this", "everything", "nothing", "life", "which"]

    func words(of draft: String) -> [DraftWord] {
        var out: [DraftWord] = []
        var sentence = 0, clause = 0
        var current = ""
        var start = 0
        var index = 0
        func flush(_ at: Int) {
            while current.hasSuffix("'") { current.removeLast() }
            while current.hasPrefix("'") { current.removeFirst() }
            guard !current.isEmpty else { current = ""; return }
            for word in expand(current) {
                // A clause also starts at these words, so "sorry but" splits like "sorry, but".
                if barriers.contains(word), let last = out.last, last.clause == clause { clause += 1 }
                out.append(DraftWord(word: word, sentence: sentence, clause: clause, start: start, end: at))
            }
            current = ""
        }
        for ch in draft {
            if ch.isLetter || ch.isNumber {
                if current.isEmpty { start = index }
                current += ch.lowercased()
            } else if ch == "'" || ch == "\u{2019}" || ch == "\u{2018}" || ch == "`" {
                if !current.isEmpty { current += "'" }
            } else {
                flush(index)
                switch ch {
                case ".", "!", "?", ";", "\n": sentence += 1; clause += 1
                case ",", ":", "(", ")", "\u{2014}", "\u{2013}", "-": clause += 1
                default: break
                }
            }
            index += 1
        }
        flush(index)
        // "I'd had", "I'd been": the "'d" before a past form is "had", not "would".
        for i in out.indices.dropLast() where out[i].word == "would" && out[i].start == out[i > 0 ? i - 1 : i].start && i > 0 {
            let next = out[i + 1].word
            if DraftLanguage.participles.contains(next) || (next.hasSuffix("ed") && next.count > 3) { out[i].word = "had" }
        }
        return out
    }

    /// One typed word to its plain words.
    func expand(_ raw: String) -> [String] {
        if let known = words[raw] { return known }
        if raw.contains("'") {
            for (ending, meaning) in DraftLanguage.endings where raw.hasSuffix(ending) && raw.count > ending.count {
                let stem = String(raw.dropLast(ending.count))
                let base = words[stem] ?? [stem]
                if ending == "n't" && (stem == "wo" || stem == "ca" || stem == "sha") {
                    return [stem == "wo" ? "will" : stem == "ca" ? "can" : "shall", "not"]
                }
                return base + meaning
            }
            if raw.hasSuffix("'s") {
                let stem = String(raw.dropLast(2))
                if stem == "let" { return ["let", "us"] }
                return DraftLanguage.isWords.contains(stem) ? [stem, "is"] : expand(stem)
            }
            let plain = raw.filter { $0 != "'" }
            return expand(plain)
        }
        if raw.count >= 4, let fixed = correct(raw) { return words[fixed] ?? [fixed] }
        return [raw]
    }

    /// A word one typo away from a word worth correcting, with the same first letter.
    func correct(_ word: String) -> String? {
        let letters = Array(word)
        for target in fuzzy where target != word && abs(target.count - word.count) <= 1 {
            let t = Array(target)
            guard t.first == letters.first else { continue }
            if withinOneEdit(letters, t) { return target }
        }
        return nil
    }
}

/// True when `a` and `b` differ by at most one edit (a swap of neighbours counting as one): the same
/// answer as `editDistance(a, b) <= 1`, without building a table (it runs for every word at start-up).
func withinOneEdit(_ a: [Character], _ b: [Character]) -> Bool {
    if a.count == b.count {
        guard let i = a.indices.first(where: { a[$0] != b[$0] }) else { return true }
        if a[(i + 1)...] == b[(i + 1)...] { return true }
        return i + 1 < a.count && a[i] == b[i + 1] && a[i + 1] == b[i] && a[(i + 2)...] == b[(i + 2)...]
    }
    let (long, short) = a.count > b.count ? (a, b) : (b, a)
    guard long.count == short.count + 1 else { return false }
    let i = short.indices.first(where: { short[$0] != long[$0] }) ?? short.count
    return short[i...] == long[(i + 1)...]
}
