// Picking a numbered choice from free text: "ok", "what else is there", "i keep checking his phone".
import Foundation

/// What can pick one choice: phrases that mean it anywhere in a line (its own words, its `means`),
/// and everyday replies ("ok", "done") that pick it only as a short reply or at the start of one.
public struct ChoiceOption: Sendable, Equatable {
    public var means: [String]
    public var replies: [String]

    public init(means: [String], replies: [String] = []) {
        self.means = means
        self.replies = replies
    }
}

/// Which choice a line meant, and the phrases that decided it.
public struct ChoiceReading: Sendable, Equatable {
    public var index: Int
    public var evidence: [String]
}

extension Understanding {
    /// Reads a line against the phrases of each choice (the choice's own words, its `means`, and the
    /// everyday replies for its text). Words are compared by rough lemma, so "checking" meets "check";
    /// a negated phrase does not count ("don't stop" is not "stop"). Nil when nothing matches, or when
    /// two choices are meant about equally: the engine then asks again rather than guess.
    public func choose(_ text: String, options: [ChoiceOption]) -> ChoiceReading? {
        var tokens = language.tokens(text)
        guard !tokens.isEmpty, tokens.count <= 60 else { return nil }
        let context = Context(tokens: tokens, language: language)
        for i in tokens.indices { tokens[i].word = Language.lemma(tokens[i].word) }
        var cues: [String: [Cue]] = [:]
        for (index, option) in options.enumerated() {
            for (phrase, isReply) in option.means.map({ ($0, false) }) + option.replies.map({ ($0, true) }) {
                let words = language.phrase(phrase).map { $0 == "*" ? $0 : Language.lemma($0) }
                guard let first = words.first, first != "*", words.last != "*" else { continue }
                // A longer phrase says more than one word does.
                let weight = 1 + 0.5 * Double(words.filter { $0 != "*" }.count - 1)
                cues[first, default: []].append(Cue(words: words, label: String(index) + (isReply ? "r" : ""), weight: weight, text: phrase))
            }
        }
        var scores: [Int: Double] = [:]
        var evidence: [Int: [String]] = [:]
        for match in matches(of: cues, in: tokens) where !context.negated[match.start] {
            let isReply = match.cue.label.hasSuffix("r")
            guard let index = Int(isReply ? String(match.cue.label.dropLast()) : match.cue.label) else { continue }
            // A one-word reply ("done", "ok") picks a choice only in a short reply or at its very start:
            // in "he's done this before" it is part of telling, not choosing.
            if isReply, match.start == match.end, !(tokens.count <= 3 || (match.start == 0 && tokens.count <= 6)) { continue }
            // A longer reply goes on into more words of the same clause: "no more secrets about money" is no "no more".
            if isReply, match.end > match.start, match.end + 3 < tokens.count, tokens[match.end + 3].clause == tokens[match.end].clause { continue }
            scores[index, default: 0] += match.cue.weight * context.shift[match.start]
            evidence[index, default: []].append(match.cue.text)
        }
        let ranked = scores.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
        guard let best = ranked.first else { return nil }
        // A clear winner only: the runner-up must weigh well under the best.
        if ranked.count > 1, ranked[1].value > best.value * 0.6 { return nil }
        return ChoiceReading(index: best.key, evidence: evidence[best.key] ?? [])
    }
}
