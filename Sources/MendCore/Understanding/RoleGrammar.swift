// Who did what to whom: the agent and the patient of a breach, for the role set (word lists in role.yaml).
import Foundation

/// Finds breach acts ("lied", "cheated", "an affair") and who did them. The one who did it is `hurting`
/// when it is the user (first person) and `hurt` when it is someone else; a discovery frame ("I found out
/// about the affair") or a passive ("I was lied to") turns it round.
struct RoleGrammar: Sendable {
    var acts: [String: [[String]]] = [:]
    var first: Set<String> = []
    var third: Set<String> = []
    var firstPossessive: Set<String> = []
    var thirdPossessive: Set<String> = []
    var firstObject: Set<String> = []
    var thirdObject: Set<String> = []
    var passive: Set<String> = []
    var discovery: [[String]] = []
    var reach = 8
    var agentWeight = 2.0
    var patientWeight = 1.0

    enum Person { case first, third }

    func read(_ tokens: [Token], context: Context, scores: inout [String: Double], evidence: inout [String: [String]]) {
        let words = tokens.map(\.word)
        var i = 0
        while i < tokens.count {
            guard let phrases = acts[words[i]],
                  let phrase = phrases.sorted(by: { $0.count > $1.count }).first(where: { i + $0.count <= words.count && Array(words[i..<(i + $0.count)]) == $0 }) else {
                i += 1
                continue
            }
            let start = i, end = i + phrase.count - 1
            i = end + 1
            if context.negated[start] { continue }
            let act = phrase.joined(separator: " ")
            let weight = context.shift[start]
            if let (person, word, flipped) = agent(of: start, tokens: tokens) {
                let userDidIt = (person == .first) != flipped
                let label = userDidIt ? "hurting" : "hurt"
                scores[label, default: 0] += agentWeight * weight
                evidence[label, default: []].append("\(word) … \(act)")
            } else if let (person, word) = patient(after: end, tokens: tokens) {
                let label = person == .first ? "hurt" : "hurting"
                scores[label, default: 0] += patientWeight * weight
                evidence[label, default: []].append("\(act) … \(word)")
            }
        }
    }

    /// The doer of the act at `start`: the nearest subject before it in the sentence. `flipped` when the
    /// subject is the one it was done to (passive) or the one who found it out.
    func agent(of start: Int, tokens: [Token]) -> (Person, String, Bool)? {
        let sentence = tokens[start].sentence
        let ing = tokens[start].word.hasSuffix("ing")
        if start > 0, tokens[start - 1].sentence == sentence {
            let before = tokens[start - 1].word
            if firstPossessive.contains(before) { return (.first, before, false) }
            if thirdPossessive.contains(before) { return (.third, before, false) }
            if ing && firstObject.contains(before) { return (.first, before, false) }
            if ing && thirdObject.contains(before) { return (.third, before, false) }
        }
        var flipped = start > 0 && passive.contains(tokens[start - 1].word) && !ing
        var j = start - 1
        let stop = max(0, start - reach)
        while j >= stop, tokens[j].sentence == sentence {
            let word = tokens[j].word
            if !flipped, discovery.contains(where: { ends($0, at: j, in: tokens) }) { flipped = true }
            if first.contains(word) { return (.first, word, flipped) }
            if third.contains(word) || tokens[j].name { return (.third, word, flipped) }
            j -= 1
        }
        return nil
    }

    /// The one it was done to, just after the act: "to me", "on him", "from my wife".
    func patient(after end: Int, tokens: [Token]) -> (Person, String)? {
        let clause = tokens[end].clause
        var j = end + 1
        while j < tokens.count, j <= end + 3, tokens[j].clause == clause {
            let word = tokens[j].word
            if firstObject.contains(word) { return (.first, word) }
            if thirdObject.contains(word) && word != "her" { return (.third, word) }
            if third.contains(word) && j > end + 1 { return (.third, word) }
            j += 1
        }
        return nil
    }

    private func ends(_ phrase: [String], at j: Int, in tokens: [Token]) -> Bool {
        let from = j - phrase.count + 1
        guard from >= 0 else { return false }
        for (k, word) in phrase.enumerated() where tokens[from + k].word != word { return false }
        return true
    }
}
