// Patterns over a draft's plain words: literals, alternatives, gaps, word classes, sentence anchors.

/// One compiled pattern, e.g. `sorry if`, `you made|make me`, `^but`, `my @diagnosis * made me`, `sorry ... . but`.
struct ApologyPattern: Sendable, Equatable {
    enum Element: Sendable, Equatable {
        /// One word: any of these, or any word starting with one of the prefixes (`stress*`).
        case word(Set<String>, prefixes: [String], optional: Bool)
        /// Zero to `max` words, within the sentence.
        case gap(max: Int)
        /// A word (or phrase) of a class in apology.yaml, kept as a slot named after the class.
        case wordClass(String)
        /// The start of a sentence.
        case sentenceStart
        /// The end of a sentence here: the next word is in the following sentence.
        case sentenceBreak
    }
    var source: String
    var elements: [Element]
    /// A shape of its own, used before the rule's.
    var better: [String]

    /// Parses one pattern after groups are expanded; nil with a message when malformed.
    static func parse(_ text: String, language: DraftLanguage, classes: [String: [[String]]]) -> Result<ApologyPattern, PatternError> {
        var elements: [Element] = []
        var column = 0
        for raw in text.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            defer { column += raw.count + 1 }
            switch raw {
            case "*": elements.append(.gap(max: 3)); continue
            case "...": elements.append(.gap(max: 40)); continue
            case "^": elements.append(.sentenceStart); continue
            case ".": elements.append(.sentenceBreak); continue
            default: break
            }
            var token = raw
            if token.hasPrefix("^") { elements.append(.sentenceStart); token.removeFirst() }
            if token.hasPrefix("@") {
                let name = String(token.dropFirst())
                guard classes[name] != nil else {
                    return .failure(PatternError(offset: column, message: "'@\(name)' is not a word class; classes: \(classes.keys.sorted().joined(separator: ", "))"))
                }
                elements.append(.wordClass(name))
                continue
            }
            var words = Set<String>(), prefixes: [String] = []
            let optional = token.hasSuffix("?")
            if optional { token.removeLast() }
            for alt in token.split(separator: "|", omittingEmptySubsequences: false).map(String.init) {
                guard !alt.isEmpty, alt.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "'" || $0 == "*" }) else {
                    return .failure(PatternError(offset: column, message: "'\(token)' is not a word, 'a|b', 'word*', '@class', '*', '...', '^' or '.'"))
                }
                if alt.hasSuffix("*") {
                    prefixes.append(String(alt.dropLast()))
                } else {
                    // A pattern word is folded like a draft word ("don't" is "do not"): keep single words only.
                    let folded = language.expand(alt.lowercased())
                    if folded.count == 1 { words.insert(folded[0]) } else { words.insert(alt.lowercased()) }
                }
            }
            elements.append(.word(words, prefixes: prefixes, optional: optional))
        }
        guard !elements.isEmpty else { return .failure(PatternError(offset: 0, message: "an empty pattern")) }
        return .success(ApologyPattern(source: text, elements: elements, better: []))
    }

    /// `(a b|c) d` becomes `a b d` and `c d`; `(x|)` makes x optional.
    static func expandGroups(_ text: String) -> [String]? {
        // The innermost group first: the first ")" and the "(" just before it.
        guard let close = text.firstIndex(of: ")") else { return text.contains("(") ? nil : [text] }
        guard let open = text[..<close].lastIndex(of: "(") else { return nil }
        let inner = text[text.index(after: open)..<close]
        let before = text[..<open], after = text[text.index(after: close)...]
        // One-word choices stay one token ("a|b", "a|b?" when one may be left out), so patterns do not multiply.
        let alternatives = inner.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let words = alternatives.filter { !$0.isEmpty }
        if !words.isEmpty, words.allSatisfy({ !$0.contains(" ") && !$0.hasPrefix("@") && !$0.hasSuffix("?") && $0 != "*" && $0 != "..." && $0 != "^" && $0 != "." }) {
            let token = words.joined(separator: "|") + (words.count < alternatives.count ? "?" : "")
            return expandGroups(String(before) + " " + token + " " + String(after))
        }
        var out: [String] = []
        for alt in inner.split(separator: "|", omittingEmptySubsequences: false) {
            guard let rest = expandGroups(String(before) + " " + alt + " " + String(after)) else { return nil }
            out += rest
        }
        return out
    }

    /// Every place the pattern matches: the range of draft words and the class slots it filled.
    func matches(in words: [DraftWord], classes: [String: [[String]]]) -> [(start: Int, end: Int, slots: [String: [Int]])] {
        var found: [(Int, Int, [String: [Int]])] = []
        for start in words.indices {
            // A quick test of the first word before the full match.
            if case let .word(set, prefixes, false) = elements[0], !set.contains(words[start].word),
               !prefixes.contains(where: { words[start].word.hasPrefix($0) }) { continue }
            if let (end, slots) = match(at: 0, word: start, first: start, words: words, classes: classes, slots: [:]) {
                found.append((start, end, slots))
            }
        }
        return found
    }

    /// Backtracking match of elements[e...] against words[w...]; returns the end (exclusive) of the match.
    private func match(at e: Int, word w: Int, first: Int, words: [DraftWord], classes: [String: [[String]]], slots: [String: [Int]], broke: Bool = false) -> (Int, [String: [Int]])? {
        if e == elements.count { return w > first ? (w, slots) : nil }
        // Words after the first must stay in the first word's sentence, unless a sentence break was crossed.
        func sameSentence(_ i: Int) -> Bool {
            guard i > first, i < words.count else { return true }
            return broke || words[i].sentence == words[i - 1].sentence
        }
        switch elements[e] {
        case let .word(set, prefixes, optional):
            if optional, let m = match(at: e + 1, word: w, first: first, words: words, classes: classes, slots: slots, broke: broke) { return m }
            guard w < words.count, sameSentence(w) else { return nil }
            let word = words[w].word
            guard set.contains(word) || prefixes.contains(where: { word.hasPrefix($0) }) else { return nil }
            return match(at: e + 1, word: w + 1, first: first, words: words, classes: classes, slots: slots)
        case let .gap(max):
            var i = w
            while true {
                if let m = match(at: e + 1, word: i, first: first, words: words, classes: classes, slots: slots) { return m }
                guard i < words.count, i - w < max, sameSentence(i) else { return nil }
                i += 1
            }
        case let .wordClass(name):
            for phrase in classes[name] ?? [] {
                guard w + phrase.count <= words.count else { continue }
                var ok = true
                for (k, p) in phrase.enumerated() where words[w + k].word != p || !sameSentence(w + k) { ok = false; break }
                if ok {
                    var next = slots
                    next[name] = Array(w..<(w + phrase.count))
                    if let m = match(at: e + 1, word: w + phrase.count, first: first, words: words, classes: classes, slots: next) { return m }
                }
            }
            return nil
        case .sentenceStart:
            guard w < words.count, w == 0 || words[w - 1].sentence != words[w].sentence else { return nil }
            return match(at: e + 1, word: w, first: first, words: words, classes: classes, slots: slots, broke: broke)
        case .sentenceBreak:
            guard w > first, w < words.count, words[w - 1].sentence != words[w].sentence else { return nil }
            return match(at: e + 1, word: w, first: first, words: words, classes: classes, slots: slots, broke: true)
        }
    }
}

struct PatternError: Error, Sendable, Equatable {
    var offset: Int
    var message: String
}
