// The apology checker: names the dodges in a draft apology and offers a better shape built from the draft.
import Foundation
import Yams

public struct ApologyFlag: Sendable, Equatable, Codable {
    public var id: String
    /// The words in the draft that raised it (empty for a note about something missing).
    public var quote: String
    public var why: String
    public var better: String

    public init(id: String, quote: String, why: String, better: String) {
        self.id = id
        self.quote = quote
        self.why = why
        self.better = better
    }
}

/// What the checker made of one draft: the dodges (which decide "clean") and softer notes on what is missing.
public struct ApologyReview: Sendable, Equatable, Codable {
    public var flags: [ApologyFlag]
    public var notes: [ApologyFlag]
    public var clean: Bool { flags.isEmpty }
}

public struct ApologyChecker: Sendable {
    /// One dodge: the patterns that find it, what cancels it, why it misfires, and the better shapes.
    public struct Rule: Sendable, Equatable {
        public var id: String
        var patterns: [ApologyPattern]
        /// A match is dropped when one of these matches in the same sentence ("if you ever ...").
        var unless: [ApologyPattern]
        /// A match is dropped when one of these starts right after it ("sorry, but I will ...").
        var unlessNext: [ApologyPattern]
        /// A "not" shortly before the match cancels it ("I won't say I was stressed").
        var negation: Bool
        public var why: String
        /// Templates with `{act}` and class slots; the first whose holes are all known is used.
        public var better: [String]
    }

    /// Something a full apology says, noticed when missing.
    public struct Note: Sendable, Equatable {
        public var id: String
        var cues: [ApologyPattern]
        /// True for the note about naming the act: a found act counts as a cue.
        var needsAct: Bool
        public var why: String
        public var better: [String]
    }

    /// How to turn "lying" into "lied" and "not telling" into "didn't tell", from apology.yaml.
    struct Acts: Sendable, Equatable {
        var notActs: Set<String> = []
        var past: [String: String] = [:]
        var base: [String: String] = [:]
        var nouns: [String: String] = [:]
        var helpers: Set<String> = []
    }

    public var rules: [Rule]
    public var notes: [Note]
    var language: DraftLanguage
    var classes: [String: [[String]]]
    var acts: Acts

    public init() {
        rules = []
        notes = []
        language = DraftLanguage()
        classes = [:]
        acts = Acts()
    }

    // MARK: checking

    /// The dodges in a draft, one flag per kind, in the order of apology.yaml.
    public func check(_ draft: String) -> [ApologyFlag] { review(draft).flags }

    /// `known`: what the conversation already knows the writer did ("read your diary without asking"), used for
    /// the better shapes when the draft itself does not name it outside a dodge.
    public func review(_ draft: String, known: String? = nil) -> ApologyReview {
        let words = language.words(of: draft)
        let chars = Array(draft)
        let all = rules.map { rule in (rule, matches(of: rule, in: words)) }
        let found = all.compactMap { rule, list in list.first.map { (rule, $0) } }
        // The act is never read from inside a dodge ("I was wasted" is not what they did), nor from the excuse
        // after "but" or "because" ("... but I was worried about you").
        var dodging = Set(all.flatMap { $0.1.flatMap { Array($0.1..<$0.2) } })
        for (i, w) in words.enumerated() where ["but", "because", "cause", "cos"].contains(w.word) {
            dodging.formUnion(words.indices.filter { $0 > i && words[$0].sentence == w.sentence })
        }
        // The draft's own act decides whether the act is named; the one known from the conversation only fills shapes.
        let named = self.act(in: words, chars: chars, skipping: dodging)
        let act = named ?? known
        var flags: [ApologyFlag] = []
        for (rule, match) in found {
            let (pattern, start, end, slots) = match
            var values: [String: String] = [:]
            if let act { values["act"] = act }
            for (name, indices) in slots { values[name] = surface(indices.first!, indices.last!, words, chars) }
            let shape = render(pattern.better + rule.better, values)
            flags.append(ApologyFlag(id: rule.id, quote: quote(start, end, words, chars), why: rule.why, better: shape))
        }
        var missing: [ApologyFlag] = []
        for note in notes {
            if note.needsAct && named != nil { continue }
            if note.cues.contains(where: { !$0.matches(in: words, classes: classes).isEmpty }) { continue }
            missing.append(ApologyFlag(id: note.id, quote: "", why: note.why, better: render(note.better, act.map { ["act": $0] } ?? [:])))
        }
        return ApologyReview(flags: flags, notes: missing)
    }

    /// Every match of a rule that nothing cancels, earliest first.
    func matches(of rule: Rule, in words: [DraftWord]) -> [(ApologyPattern, Int, Int, [String: [Int]])] {
        var found: [(ApologyPattern, Int, Int, [String: [Int]])] = []
        for pattern in rule.patterns {
            for m in pattern.matches(in: words, classes: classes) {
                if rule.negation && negated(m.start, words) { continue }
                let sentence = words[m.start].sentence
                if rule.unless.contains(where: { p in p.matches(in: words, classes: classes).contains { words[$0.start].sentence == sentence } }) { continue }
                if m.end < words.count, rule.unlessNext.contains(where: { p in p.matches(in: words, classes: classes).contains { $0.start == m.end } }) { continue }
                found.append((pattern, m.start, m.end, m.slots))
            }
        }
        return found.sorted { $0.1 < $1.1 }
    }

    /// A negator shortly before a match in its clause ("I won't say I was stressed", "not because I was tired").
    func negated(_ start: Int, _ words: [DraftWord]) -> Bool {
        // "not because of work": the barrier opens the match, the negation sits just before it.
        if start > 0, language.barriers.contains(words[start].word), language.negators.contains(words[start - 1].word) { return true }
        var k = start - 1
        var steps = 0
        while k >= 0 && steps < 4 && words[k].sentence == words[start].sentence {
            if words[k].clause != words[start].clause { return false }
            if language.negators.contains(words[k].word) { return true }
            if language.barriers.contains(words[k].word) {
                return k > 0 && language.negators.contains(words[k - 1].word)
            }
            k -= 1
            steps += 1
        }
        return false
    }

    // MARK: the user's own words

    /// The draft's words from word `a` to word `b`, as typed.
    func surface(_ a: Int, _ b: Int, _ words: [DraftWord], _ chars: [Character]) -> String {
        String(chars[words[a].start..<words[b].end])
    }

    /// The words that raised a flag; a long stretch is shortened around its ends.
    func quote(_ start: Int, _ end: Int, _ words: [DraftWord], _ chars: [Character]) -> String {
        if end - start <= 8 { return surface(start, end - 1, words, chars) }
        return surface(start, start + 2, words, chars) + " … " + surface(end - 2, end - 1, words, chars)
    }

    /// What the draft says the writer did, as a phrase after "I": "lied to you about the money".
    func act(in words: [DraftWord], chars: [Character], skipping: Set<Int> = []) -> String? {
        func tail(from i: Int) -> String? {
            var j = i
            while j + 1 < words.count && words[j + 1].clause == words[i].clause && j + 1 - i < 9 { j += 1 }
            return j > i ? " " + surface(i + 1, j, words, chars) : ""
        }
        // "by lying to you", "for not telling you", "my lying"
        for (i, w) in words.enumerated() where ["by", "for", "my"].contains(w.word) && i + 1 < words.count {
            var k = i + 1
            if skipping.contains(k) { continue }
            var negated = false
            if words[k].word == "not" && k + 1 < words.count { negated = true; k += 1 }
            let g = words[k].word
            guard g.hasSuffix("ing"), g.count > 4, !acts.notActs.contains(g), !acts.notActs.contains(baseForm(g)) else { continue }
            let verb = negated ? (g == "being" ? "wasn't" : "didn't " + baseForm(g)) : pastForm(g)
            return verb + (tail(from: k) ?? "")
        }
        // "I lied", "I never told you", "I didn't tell you", "I have been seeing someone"
        for (i, w) in words.enumerated() where w.word == "i" {
            var k = i + 1
            while k < words.count && acts.helpers.contains(words[k].word) && words[k].clause == w.clause { k += 1 }
            guard k < words.count, words[k].clause == w.clause, !skipping.contains(k) else { continue }
            let v = words[k].word
            let helped = k > i + 1
            let isPast = pastForms.contains(v) || (v.hasSuffix("ed") && v.count > 3)
            let isVerb = isPast || (helped && (v.hasSuffix("ing") || acts.past[v] != nil))
            guard isVerb, !acts.notActs.contains(v) else { continue }
            return surface(i + 1, k, words, chars) + (tail(from: k) ?? "")
        }
        // "my depression made me pull away": the act is what follows "made me".
        for (i, w) in words.enumerated() where w.word == "me" && i > 0 && i + 1 < words.count
            && ["made", "make", "makes", "forced", "pushed"].contains(words[i - 1].word) && words[i + 1].clause == w.clause {
            let v = words[i + 1].word
            if skipping.contains(i + 1) { continue }
            guard !acts.notActs.contains(v) || v == "do" else { continue }
            if v == "do" { continue }
            return pastOfBase(v) + (tail(from: i + 1) ?? "")
        }
        // "the lies", "the affair"
        for w in words { if let phrase = acts.nouns[w.word] { return phrase } }
        return nil
    }

    var pastForms: Set<String> { Set(acts.past.values) }

    func pastForm(_ gerund: String) -> String {
        if let p = acts.past[gerund] { return p }
        var stem = String(gerund.dropLast(3))
        if stem.count > 1, stem.hasSuffix("y"), let before = stem.dropLast().last, !"aeiou".contains(before) {
            stem.removeLast()
            return stem + "ied"
        }
        return stem + "ed"
    }

    func pastOfBase(_ verb: String) -> String {
        if let p = acts.past[verb] { return p }
        if verb.hasSuffix("e") { return verb + "d" }
        if verb.count > 1, verb.hasSuffix("y"), let before = verb.dropLast().last, !"aeiou".contains(before) { return verb.dropLast() + "ied" }
        return verb + "ed"
    }

    func baseForm(_ gerund: String) -> String {
        if let b = acts.base[gerund] { return b }
        guard gerund.hasSuffix("ing") else { return gerund }
        var stem = Array(gerund.dropLast(3))
        let vowels: Set<Character> = ["a", "e", "i", "o", "u"]
        if stem.count >= 3, stem[stem.count - 1] == stem[stem.count - 2], !"lsfz".contains(stem[stem.count - 1]) {
            stem.removeLast()
        } else if stem.count >= 3, stem.count <= 4, !vowels.contains(stem[0]) || stem.count == 3,
                  !vowels.contains(stem[stem.count - 1]), vowels.contains(stem[stem.count - 2]), !vowels.contains(stem[stem.count - 3]),
                  !"wxy".contains(stem[stem.count - 1]) {
            stem.append("e")
        }
        return String(stem)
    }

    /// The first template whose holes are all known, filled in.
    func render(_ templates: [String], _ values: [String: String]) -> String {
        let words = Words()
        for template in templates {
            guard case let .success(pieces) = TemplateParser.parse(template) else { continue }
            let known = TemplateParser.holes(pieces).allSatisfy { hole, optional in
                optional || hole.alwaysResolves || hole.slots.contains { !(values[$0] ?? "").isEmpty }
            }
            if known { return words.render(template, slots: values) }
        }
        return ""
    }
}
