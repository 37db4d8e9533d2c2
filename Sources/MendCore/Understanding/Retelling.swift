// Retelling what someone did as "you ...", for scripts: "he said he was at work" -> "said you were at work".
import Foundation
import Yams

/// The word lists of `dialogs/understanding/retell.yaml`, and the retelling itself.
public struct Retelling: Sendable, Equatable {
    /// "wife" -> "she": the pronoun set that stands for that person.
    var people: [String: String] = [:]
    /// "he" -> [he, him, his, himself]: subject, object, possessive, reflexive.
    var pronouns: [String: [String]] = [:]
    var you: [String] = ["you", "you", "your", "yourself"]
    var agree: [String: String] = [:]
    var adverbs: Set<String> = []
    var past: Set<String> = []
    var objectBefore: Set<String> = []
    var stopBefore: [[String]] = []
    var openers: [[String]] = []
    var longest = 16
    /// Words that, after a comma, begin another clause.
    var newClause: Set<String> = []
    /// Verbs of telling: the one told ("told the boss she was unreliable") is not who the words are about.
    var telling: Set<String> = []

    public init() {}

    /// Whether any retelling can be made (the file was there).
    public var isEmpty: Bool { pronouns.isEmpty }

    /// One word as typed, with what surrounds it.
    struct Word {
        var text: String       // as typed, without trailing punctuation
        var lower: String
        var trailing: String   // punctuation typed after it ("," or "")
        var sentence: Int
    }

    static func words(_ text: String) -> [Word] {
        var out: [Word] = []
        var sentence = 0
        for raw in text.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            var core = Substring(raw)
            var trailing = ""
            while let last = core.last, ".,!?;:)\"".contains(last) {
                trailing = String(last) + trailing
                core = core.dropLast()
            }
            while let first = core.first, "(\"".contains(first) { core = core.dropFirst() }
            let typed = String(core).replacingOccurrences(of: "\u{2019}", with: "'")
            if !typed.isEmpty {
                out.append(Word(text: typed, lower: typed.lowercased(), trailing: trailing, sentence: sentence))
            }
            if trailing.contains(where: { ".!?;".contains($0) }) || raw.contains("\n") { sentence += 1 }
        }
        return out
    }

    /// The part of `text` that says what the person did, turned to "you" and without its subject, ready
    /// for "When you ___, I felt ...". Nil unless a short clause starts with them, goes on in the past
    /// tense and reads as a breach (`breach`, when known) by itself.
    public func retell(_ text: String, name: String?, breach: String?, understanding: Understanding) -> String? {
        guard !isEmpty else { return nil }
        let words = Retelling.words(text)
        let nameLower = name?.lowercased()
        var i = 0
        while i < words.count {
            defer { i += 1 }
            // Who is the subject here, and how many words it takes ("my wife" is two).
            var person: String?, subjectLength = 1
            let w = words[i].lower
            if let set = pronouns.first(where: { $0.value.first == w })?.key {
                person = set
            } else if let nameLower, w == nameLower {
                person = ""
            } else if w == "my", i + 1 < words.count, words[i + 1].sentence == words[i].sentence, let set = people[words[i + 1].lower] {
                person = set
                subjectLength = 2
            }
            guard var who = person else { continue }
            // The subject must open its clause: the start of a sentence, after a comma, or after openers only.
            if i > 0, words[i - 1].sentence == words[i].sentence, words[i - 1].trailing.isEmpty {
                let before = words[..<i].filter { $0.sentence == words[i].sentence }.map(\.lower)
                if !opensOnly(before) { continue }
            }
            var start = i + subjectLength
            // Adverbs may come first ("he just left"); the verb after them must be past tense.
            while start < words.count, words[start].sentence == words[i].sentence, adverbs.contains(words[start].lower) { start += 1 }
            guard start < words.count, words[start].sentence == words[i].sentence, isPast(words[start].lower) else { continue }
            var end = start
            while end < words.count, words[end].sentence == words[i].sentence {
                if end > start, stopBefore.contains(where: { starts($0, at: end, in: words) }) { break }
                // A comma and a new subject start another clause: "he cheated on me, i found out yesterday".
                if end > start, words[end - 1].trailing.contains(","), newClause.contains(words[end].lower) { break }
                end += 1
                if !words[end - 1].trailing.isEmpty, words[end - 1].trailing.contains(where: { ".!?;".contains($0) }) { break }
            }
            let clause = Array(words[(i + subjectLength)..<end])
            guard clause.count >= 2, clause.count <= longest else { continue }
            // A name says nothing about pronouns: take the one kind used in the clause, if only one is.
            if who.isEmpty {
                let used = pronouns.filter { set in clause.contains { set.value.contains($0.lower) } }.map(\.key)
                if used.count > 1 { continue }
                who = used.first ?? ""
            }
            let spoken = words[i..<end].map(\.text).joined(separator: " ")
            let reading = understanding.read(spoken, set: "breach")
            guard let label = reading.label, breach == nil || breach == label else { continue }
            // Typos known to the language rules are put right in the words said back ("cheeted" is "cheated").
            let spelled = clause.map { w -> Word in
                guard let fixed = understanding.language.typos[w.lower] else { return w }
                return Word(text: fixed, lower: fixed, trailing: w.trailing, sentence: w.sentence)
            }
            return shift(spelled, person: who)
        }
        return nil
    }

    /// What the user did, in their own voice: "told the boss she was unreliable" (the subject left out) is
    /// "I told the boss she was unreliable", and a lone "i" is "I". Other openings stay as they are.
    public func firstPerson(_ text: String) -> String {
        let words = Retelling.words(text)
        var typed = text.split(separator: " ", omittingEmptySubsequences: false).map { word -> String in
            let w = String(word)
            return w == "i" ? "I" : w.hasPrefix("i'") ? "I" + w.dropFirst() : w
        }.joined(separator: " ")
        var k = 0
        while k < words.count, adverbs.contains(words[k].lower) { k += 1 }
        if k < words.count, isPast(words[k].lower) {
            let chars = Array(typed)
            if chars.count > 1, chars[0].isUppercase, chars[1].isLowercase { typed = chars[0].lowercased() + String(chars.dropFirst()) }
            return "I " + typed
        }
        return typed.prefix(1).uppercased() + typed.dropFirst()
    }

    /// Words said to the person themselves ("I lied to my wife about the money", "tell her where I am"): the person
    /// becomes "you". `addressee` tells whether a noun ("wife", "boss") is that person. Their pronouns turn only when
    /// the words use one set of them and name nobody else before it ("I slept with my coworker and she told
    /// everyone" keeps "she"); unchanged otherwise.
    public func toThem(_ text: String, name: String?, addressee: (String) -> Bool) -> String {
        let words = Retelling.words(text)
        var out: [Word] = []
        var sets: [String] = []
        var someoneElse = false
        var k = 0
        while k < words.count {
            let w = words[k]
            // "my wife" -> "you" ("my wife's" -> "your").
            if ["my", "our"].contains(w.lower), k + 1 < words.count, w.trailing.isEmpty {
                let noun = words[k + 1].lower
                let bare = noun.hasSuffix("'s") ? String(noun.dropLast(2)) : noun
                if people[bare] != nil {
                    if addressee(bare) {
                        let form = noun.hasSuffix("'s") ? you[2] : you[1]
                        out.append(Word(text: form, lower: form, trailing: words[k + 1].trailing, sentence: w.sentence))
                        k += 2
                        continue
                    }
                    someoneElse = true
                }
            }
            if let name, w.lower == name.lowercased() || w.lower == name.lowercased() + "'s" {
                let form = w.lower.hasSuffix("'s") ? you[2] : you[1]
                out.append(Word(text: form, lower: form, trailing: w.trailing, sentence: w.sentence))
                k += 1
                continue
            }
            if k > 0, w.text.first?.isUppercase == true, w.lower != "i", !w.lower.hasPrefix("i'") { someoneElse = true }
            // A person named without "my" ("the boss", "a coworker") is somebody else.
            if people[w.lower] != nil, !(max(0, k - 2)..<k).contains(where: { telling.contains(words[$0].lower) }) { someoneElse = true }
            if let set = pronouns.first(where: { $0.value.contains(w.lower) || w.lower.hasPrefix($0.value[0] + "'") })?.key {
                if someoneElse && !sets.contains(set) { return Retelling.joined(out + words[k...]) }
                if !sets.contains(set) { sets.append(set) }
            }
            out.append(w)
            k += 1
        }
        guard sets.count == 1, let set = sets.first else { return Retelling.joined(out) }
        // The first word is the user's own ("I lied", "tell her"): nothing for a dropped subject to agree with.
        var shifted = shift([Word(text: "I", lower: "i", trailing: "", sentence: 0)] + out, person: set)
        shifted.removeFirst(2)
        return shifted
    }

    static func joined(_ words: some Sequence<Word>) -> String {
        words.map { $0.text + $0.trailing }.joined(separator: " ")
    }

    /// Whether a line opens "I" and a past-tense verb ("I never told her", "I read your diary"): something done.
    public func opensWithPastAct(_ text: String) -> Bool {
        let words = Retelling.words(text)
        guard words.first?.lower == "i" else { return false }
        var k = 1
        while k < words.count, adverbs.contains(words[k].lower) { k += 1 }
        return k < words.count && isPast(words[k].lower)
    }

    /// What the user asks of the person, said to them: "her to stop talking to him and show me her phone" is
    /// "you to stop talking to him and show me your phone". Unchanged unless it opens with the person.
    public func toYou(_ text: String) -> String {
        let words = Retelling.words(text)
        guard let first = words.first, let set = pronouns.first(where: { $0.value[0] == first.lower || $0.value[1] == first.lower })?.key else { return text }
        return shift(words, person: set)
    }

    func opensOnly(_ words: [String]) -> Bool {
        var k = 0
        while k < words.count {
            guard let opener = openers.first(where: { o in k + o.count <= words.count && Array(words[k..<(k + o.count)]) == o }) else { return false }
            k += opener.count
        }
        return true
    }

    func starts(_ phrase: [String], at k: Int, in words: [Word]) -> Bool {
        guard k + phrase.count <= words.count else { return false }
        return zip(phrase, words[k..<(k + phrase.count)]).allSatisfy { $0 == $1.lower }
    }

    func isPast(_ word: String) -> Bool {
        past.contains(word) || (word.count > 4 && word.hasSuffix("ed")) || word.hasPrefix("wasn") || word.hasPrefix("didn") || word.hasPrefix("hadn")
    }

    /// The clause with the person's pronouns turned to "you" and verbs after them agreeing.
    func shift(_ clause: [Word], person: String) -> String {
        let theirs = pronouns[person] ?? []
        var out: [String] = []
        var agreeNext = true   // the clause's first verb follows the (dropped) subject
        for (k, word) in clause.enumerated() {
            var text = word.text
            let lower = word.lower
            if agreeNext, adverbs.contains(lower) {
                out.append(text + word.trailing)
                continue
            }
            if agreeNext, let agreed = agree[lower] {
                text = agreed
                agreeNext = false
            } else if let index = theirs.firstIndex(of: lower) {
                var form = index
                // "her" is both "him" and "his": an object before a preposition or at the end, else a possessive.
                if theirs[1] == theirs[2], index == 1 {
                    let next = k + 1 < clause.count ? clause[k + 1].lower : ""
                    form = next.isEmpty || objectBefore.contains(next) || !word.trailing.isEmpty ? 1 : 2
                }
                text = you[form]
                agreeNext = index == 0
            } else if let set = pronouns[person], let first = set.first, lower.hasPrefix(first + "'") {
                // "he's been" -> "you've been", "she's a liar" -> "you're a liar", "he'd" -> "you'd".
                let rest = lower.dropFirst(first.count + 1)
                let next = k + 1 < clause.count ? clause[k + 1].lower : ""
                switch rest {
                case "s": text = ["been", "got", "gone", "had"].contains(next) || next.hasSuffix("ed") ? "you've" : "you're"
                case "re": text = "you're"
                default: text = "you'" + rest
                }
                agreeNext = false
            } else {
                agreeNext = false
                if lower == "i" { text = "I" } else if lower.hasPrefix("i'") { text = "I" + text.dropFirst() }
            }
            out.append(text + (k == clause.count - 1 ? "" : word.trailing))
        }
        return out.joined(separator: " ")
    }

    static func load(url: URL, diagnostics: inout [Diagnostic]) -> Retelling {
        var r = Retelling()
        guard FileManager.default.fileExists(atPath: url.path) else { return r }
        let file = displayPath(url)
        guard let text = readText(url, file: file, diagnostics: &diagnostics) else { return r }
        let reader = YAMLReader(file: file)
        defer { diagnostics += reader.diagnostics }
        guard let root = reader.parse(text, plain: true),
              let pairs = reader.mapping(root, what: "retell.yaml", allowed: ["people", "pronouns", "you", "agree", "adverbs", "past", "object-before", "stop-before", "new-clause", "openers", "longest", "telling"], required: ["people", "pronouns", "you"]) else { return r }
        func lower(_ v: Yams.Node, _ what: String) -> [String] { reader.strings(v, what: what).map { $0.lowercased() } }
        for (key, _, value) in pairs {
            switch key {
            case "people":
                for (word, _, set) in reader.namedMapping(value, what: "people") ?? [] {
                    guard let s = reader.string(set, what: "a pronoun set") else { continue }
                    if !["he", "she", "they"].contains(s) { reader.error(set, "'\(word)' should be he, she or they") ; continue }
                    r.people[word.lowercased()] = s
                }
            case "pronouns":
                for (set, node, list) in reader.namedMapping(value, what: "pronouns") ?? [] {
                    let forms = lower(list, "pronouns")
                    if forms.count != 4 { reader.error(node, "'\(set)' needs four words: subject, object, possessive, reflexive"); continue }
                    r.pronouns[set] = forms
                }
            case "you":
                let forms = lower(value, "you")
                if forms.count == 4 { r.you = forms } else { reader.error(value, "'you' needs four words: subject, object, possessive, reflexive") }
            case "agree":
                for (from, _, to) in reader.namedMapping(value, what: "agree") ?? [] {
                    if let t = reader.string(to, what: "agree") { r.agree[from.lowercased()] = t }
                }
            case "adverbs": r.adverbs = Set(lower(value, "adverbs"))
            case "past": r.past = Set(lower(value, "past"))
            case "object-before": r.objectBefore = Set(lower(value, "object-before"))
            case "stop-before": r.stopBefore = lower(value, "stop-before").map { $0.split(separator: " ").map(String.init) }
            case "new-clause": r.newClause = Set(lower(value, "new-clause"))
            case "telling": r.telling = Set(lower(value, "telling"))
            case "openers": r.openers = lower(value, "openers").map { $0.split(separator: " ").map(String.init) }
            case "longest":
                if let n = reader.string(value, what: "longest").flatMap({ Int($0) }), n > 0 { r.longest = n } else { reader.error(value, "longest should be a whole number of words") }
            default: break
            }
        }
        for set in r.people.values where r.pronouns[set] == nil {
            reader.error(root, "people names the pronoun set '\(set)', which 'pronouns' does not list")
            break
        }
        return r
    }
}
