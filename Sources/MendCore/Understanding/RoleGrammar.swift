// Who did what to whom: the agent and the patient of a breach, for the role set (word lists in role.yaml).
import Foundation

/// Finds breach acts ("lied", "cheated", "an affair") and who did them. The one who did it is `hurting`
/// when it is the user (first person) and `hurt` when it is someone else; a discovery frame ("I found out
/// about the affair") or a passive ("I was lied to") turns it round.
struct RoleGrammar: Sendable {
    /// Breach acts, as cues (so `*` and filler words work as in any cue).
    var acts: [String: [Understanding.Cue]] = [:]
    var first: Set<String> = []
    var third: Set<String> = []
    var firstPossessive: Set<String> = []
    var thirdPossessive: Set<String> = []
    var firstObject: Set<String> = []
    var thirdObject: Set<String> = []
    var passive: Set<String> = []
    /// Words after which a noun is an object ("at my partner"), not the one who did it.
    var prepositions: Set<String> = []
    var discovery: [String: [Understanding.Cue]] = [:]
    /// Words that make their subject the one who went through it ("she felt abandoned", "I felt like a ghost").
    var experiencer: Set<String> = []
    /// Words ending like participles that tell a state, not a passive ("I was depressed").
    var states: Set<String> = []
    /// Words that open a noun phrase ("the guy", "a girl"): with a person after them and "I" next, a relative
    /// clause ("the guy I was dating") whose subject is that person, not the user.
    var determiners: Set<String> = []
    /// Words that open a clause ("and", "then"): a relative clause may follow them too.
    var openers: Set<String> = []
    /// The word that names the doer after a passive: "I was lied to by my dad", "she was cheated on by me".
    var agentMarkers: Set<String> = []
    /// Feelings of the one who did it ("guilty", "ashamed"): after "I feel" they do not make the feeler the hurt one.
    var guilt: Set<String> = []
    /// States of the one it was done to ("lonely", "invisible"): whoever is in them went through it.
    var victimStates: Set<String> = []
    /// Words that join two doers ("me and my coworker"): with the user among them, the user did it too.
    var coordinators: Set<String> = []
    /// "am", "is", "was": "I am the person who lied" names the user with "the person", so that is not another doer.
    var copulas: Set<String> = []
    /// Participles that do not end in -ed or -en, for a passive ("I was let down", "he got hurt").
    var participles: Set<String> = []
    /// Acts that report another ("told my wife", "let slip"): followed by another act in the sentence, they only carry it.
    var reporting: Set<String> = []
    /// Phrases whose subject was kept in the dark ("has no idea", "didn't know"): that subject is the hurt one.
    var unaware: [String: [Understanding.Cue]] = [:]
    var reach = 8
    var agentWeight = 2.0
    var discoveryWeight = 1.0
    var patientWeight = 1.0

    enum Person { case first, third }

    func read(_ tokens: [Token], acts found: [(cue: Understanding.Cue, start: Int, end: Int)],
              discoveries: [(cue: Understanding.Cue, start: Int, end: Int)], unawareMatches: [(cue: Understanding.Cue, start: Int, end: Int)] = [],
              context: Context, language: Language, scores: inout [String: Double], evidence: inout [String: [String]]) {
        // A passive discovery ("got caught") names the one found out, so it does not turn the doer round.
        let discoveryEnds = Set(discoveries.filter { !isPassiveDiscovery($0.start, tokens: tokens) }.map(\.end))
        let inTheDark = Set(unawareMatches.map(\.start))
        for (cue, start, end) in found {
            if context.negated[start] { continue }
            let act = cue.text
            var weight = context.shift[start] * (cue.label == "act" ? cue.weight : 1)
            // "my mother in law told my husband that I had been lying": the telling only carries the act it reports.
            // The reported act has a subject of its own between them ("told my husband that I ..."), unlike "told her secret to her ex".
            if reporting.contains(cue.words[0]),
               let next = found.filter({ $0.start > end && tokens[$0.start].sentence == tokens[start].sentence }).min(by: { $0.start < $1.start }),
               !reporting.contains(next.cue.words[0]),
               tokens[(end + 1)..<next.start].contains(where: { first.contains($0.word) || (third.contains($0.word) && !thirdObject.contains($0.word)) }) {
                weight *= 0.25
            }
            // "my husband has no idea": whoever is kept in the dark is the one it was done to.
            if inTheDark.contains(start), let (person, word, _) = agent(of: start, tokens: tokens, discoveryEnds: [], language: language) {
                let label = person == .first ? "hurt" : "hurting"
                scores[label, default: 0] += agentWeight * weight
                evidence[label, default: []].append("\(word) … \(act)")
                continue
            }
            // A passive with its doer named: "she was cheated on by me", "I was lied to by my dad".
            if let (person, word) = namedDoer(of: start, end: end, tokens: tokens) {
                let label = person == .first ? "hurting" : "hurt"
                scores[label, default: 0] += agentWeight * weight
                evidence[label, default: []].append("\(act) by \(word)")
                continue
            }
            // "betrayed me", "lied to me": the user is the one it was done to, whoever did it.
            if let word = cue.words.first(where: { firstObject.contains($0) }) {
                // "sold me out", "ripped into me": the user is inside the act as the one it was done to.
                scores["hurt", default: 0] += agentWeight * weight
                evidence["hurt", default: []].append("\(act) … \(word)")
            } else if let (person, word) = patient(after: end, tokens: tokens, near: true), person == .first {
                scores["hurt", default: 0] += agentWeight * weight
                evidence["hurt", default: []].append("\(act) … \(word)")
            } else if let (person, word, flipped) = agent(of: start, tokens: tokens, discoveryEnds: discoveryEnds, language: language) {
                let userDidIt = (person == .first) != flipped
                let label = userDidIt ? "hurting" : "hurt"
                scores[label, default: 0] += agentWeight * weight
                evidence[label, default: []].append("\(word) … \(act)")
            } else if let (person, word) = patient(after: end, tokens: tokens, near: false) {
                let label = person == .first ? "hurt" : "hurting"
                scores[label, default: 0] += patientWeight * weight
                evidence[label, default: []].append("\(act) … \(word)")
            } else if opensSentence(start, tokens: tokens, discoveryEnds: discoveryEnds, language: language),
                      !tokens[(end + 1)..<min(tokens.count, end + 3)].contains(where: { firstPossessive.contains($0.word) || firstObject.contains($0.word) }) {
                // No subject at all ("got caught sexting", "been texting my ex"): people leave out "I" about themselves.
                scores["hurting", default: 0] += patientWeight * weight
                evidence["hurting", default: []].append("(i) … \(act)")
            }
        }
        // Whoever found out was hurt: "I found out" is the user, "my husband just found out" is the other.
        // After a passive ("he got caught", "I was found out") the subject is the one found out: the doer.
        for (cue, start, _) in discoveries where !context.negated[start] {
            let caught = isPassiveDiscovery(start, tokens: tokens)
            var j = start - 1
            while j >= max(0, start - 3), tokens[j].sentence == tokens[start].sentence {
                let word = tokens[j].word
                if first.contains(word) {
                    let label = caught ? "hurting" : "hurt"
                    scores[label, default: 0] += discoveryWeight
                    evidence[label, default: []].append("\(word) … \(cue.text)")
                    break
                }
                if third.contains(word) || tokens[j].name {
                    let label = caught ? "hurt" : "hurting"
                    scores[label, default: 0] += discoveryWeight
                    evidence[label, default: []].append("\(word) … \(cue.text)")
                    break
                }
                j -= 1
            }
        }
    }

    /// Whether a word of guilt follows a feeling word closely: "I feel so guilty", "felt awful about".
    func feelsGuilt(after j: Int, tokens: [Token]) -> Bool {
        var k = j + 1
        while k < tokens.count, k <= j + 3, tokens[k].clause == tokens[j].clause {
            if guilt.contains(tokens[k].word) { return true }
            k += 1
        }
        return false
    }

    /// Whether only helper words stand before the act in its sentence ("been", "got caught", "never"): its subject was left out.
    func opensSentence(_ start: Int, tokens: [Token], discoveryEnds: Set<Int>, language: Language) -> Bool {
        var j = start - 1
        while j >= 0, tokens[j].sentence == tokens[start].sentence {
            let word = tokens[j].word
            let helper = passive.contains(word) || language.fillers.contains(word) || language.negators.contains(word)
                || language.participles.contains(word) || discoveryEnds.contains(j) || experiencer.contains(word)
            if !helper || experiencer.contains(word) || determiners.contains(word) { return false }
            j -= 1
        }
        return true
    }

    /// Whether the discovery word at `start` is passive: "got caught", "was found out", "been discovered".
    func isPassiveDiscovery(_ start: Int, tokens: [Token]) -> Bool {
        start > 0 && tokens[start - 1].sentence == tokens[start].sentence && passive.contains(tokens[start - 1].word)
            && !experiencer.contains(tokens[start - 1].word)
    }

    /// The doer named after a passive act: "[was] cheated on by me", "[got] lied to by my dad".
    func namedDoer(of start: Int, end: Int, tokens: [Token]) -> (Person, String)? {
        guard start > 0, passive.contains(tokens[start - 1].word), !experiencer.contains(tokens[start - 1].word) else { return nil }
        let clause = tokens[end].clause
        var j = end + 1
        while j < tokens.count, j <= end + 3, tokens[j].clause == clause {
            if agentMarkers.contains(tokens[j].word), j + 1 < tokens.count, tokens[j + 1].clause == clause {
                var k = j + 1
                if firstPossessive.contains(tokens[k].word) || thirdPossessive.contains(tokens[k].word) || determiners.contains(tokens[k].word), k + 1 < tokens.count { k += 1 }
                let word = tokens[k].word
                if firstObject.contains(word) || first.contains(word) { return (.first, word) }
                if third.contains(word) || thirdObject.contains(word) || tokens[k].name { return (.third, word) }
                // "by my closest friend", "by the man next door": a person of the user's, not the user.
                if k > j + 1 { return (.third, tokens[j + 1].word + " " + word) }
                return nil
            }
            j += 1
        }
        return nil
    }

    /// The doer of the act at `start`: the nearest subject before it in the sentence. `flipped` when the
    /// subject is the one it was done to (passive) or the one who found it out.
    func agent(of start: Int, tokens: [Token], discoveryEnds: Set<Int>, language: Language) -> (Person, String, Bool)? {
        let sentence = tokens[start].sentence
        let ing = tokens[start].word.hasSuffix("ing")
        // An act that opens with a possessive belongs to its owner when it stands as a subject or is what was
        // found out ("my affair came out", "his location said", "found out about my affair"), not as an object
        // ("using my card", "told everyone about my debt"), and not when the possessive names a person ("his ex").
        let opensPhrase = start == 0 || tokens[start - 1].clause != tokens[start].clause || openers.contains(tokens[start - 1].word)
            || (start > 1 && prepositions.contains(tokens[start - 1].word) && discoveryEnds.contains(start - 2))
        if opensPhrase, start + 1 < tokens.count, !third.contains(tokens[start + 1].word) {
            if firstPossessive.contains(tokens[start].word) { return (.first, tokens[start].word, false) }
            if thirdPossessive.contains(tokens[start].word) { return (.third, tokens[start].word, false) }
        }
        // The word before the act, past fillers ("my own affair").
        var b = start - 1
        while b > 0, tokens[b].sentence == sentence, language.fillers.contains(tokens[b].word) { b -= 1 }
        if b >= 0, tokens[b].sentence == sentence {
            let before = tokens[b].word
            if firstPossessive.contains(before) { return (.first, before, false) }
            if thirdPossessive.contains(before) { return (.third, before, false) }
            if ing && firstObject.contains(before) { return (.first, before, false) }
            if ing && thirdObject.contains(before) { return (.third, before, false) }
        }
        // Only a participle makes a passive: "I was lied to", not "I was emotionally unavailable".
        let word = tokens[start].word
        let participle = word.hasSuffix("ed") || word.hasSuffix("en") || participles.contains(word)
        // An act that is a hurt state or a feeling ("lonely", "feel alone") belongs to the one who went through it.
        let inState = tokens[start...min(start + 2, tokens.count - 1)].contains { $0.clause == tokens[start].clause && victimStates.contains($0.word) }
            || (experiencer.contains(word) && !feelsGuilt(after: start, tokens: tokens))
        var flipped = (start > 0 && passive.contains(tokens[start - 1].word) && participle && !states.contains(word)) || inState
        var j = start - 1
        let stop = max(0, start - reach)
        while j >= stop, tokens[j].sentence == sentence {
            let word = tokens[j].word
            // "I felt guilty for lying": guilt is felt by the one who did it, so it does not turn the doer round.
            if discoveryEnds.contains(j) || (experiencer.contains(word) && !feelsGuilt(after: j, tokens: tokens)) { flipped = true }
            if first.contains(word) {
                // "the guy I was dating", "someone I trusted": a relative clause; its head is the subject.
                if let head = relativeHead(before: j, tokens: tokens) { return (.third, head, flipped) }
                return (.first, word, flipped)
            }
            // "I am the person who lied", "she was the girl who": a person named after "am the" is the subject before it.
            if third.contains(word), j >= 2, determiners.contains(tokens[j - 1].word), copulas.contains(tokens[j - 2].word) {
                j -= 2
                continue
            }
            if third.contains(word) || tokens[j].name {
                var k = j - 1
                if k >= 0, firstPossessive.contains(tokens[k].word) || thirdPossessive.contains(tokens[k].word) || tokens[k].word == "the" { k -= 1 }
                // "me and my coworker have been sleeping together": the user is one of the doers.
                if k >= 1, coordinators.contains(tokens[k].word), first.contains(tokens[k - 1].word) || firstObject.contains(tokens[k - 1].word) {
                    return (.first, tokens[k - 1].word, flipped)
                }
                if k < 0 || !prepositions.contains(tokens[k].word) { return (.third, word, flipped) }
            }
            j -= 1
        }
        // A word opening the sentence just before the act, not one of the grammar's or language's own
        // words, is most likely a name written in lower case or at the start: "lucy told everyone", "Tom never paid".
        var k = start - 1
        while k >= 0, tokens[k].sentence == sentence, language.negators.contains(tokens[k].word) || language.fillers.contains(tokens[k].word) { k -= 1 }
        if k >= 0, tokens[k].sentence == sentence, k == 0 || tokens[k - 1].sentence != sentence, tokens[k].typed == nil, tokens[k].word.count >= 3 {
            let word = tokens[k].word
            let grammatical = [first, third, firstPossessive, thirdPossessive, firstObject, thirdObject, passive, prepositions, experiencer]
            if !grammatical.contains(where: { $0.contains(word) }), !language.contrast.contains(word), !language.clauseContrast.contains(word), !language.known.contains(word),
               !language.vocabulary.contains(word), !language.participles.contains(word) {
                return (.third, word, flipped)
            }
        }
        return nil
    }

    /// The person just before "I" when "I" opens a relative clause on them: "the guy i was dating",
    /// "someone i trusted", but not "told my wife i cheated" (there she is an object).
    func relativeHead(before j: Int, tokens: [Token]) -> String? {
        let h = j - 1
        guard h >= 0, tokens[h].clause == tokens[j].clause, third.contains(tokens[h].word) || tokens[h].name,
              !firstObject.contains(tokens[h].word), !thirdObject.contains(tokens[h].word) else { return nil }
        var k = h - 1
        if k >= 0, tokens[k].clause == tokens[h].clause, determiners.contains(tokens[k].word) || firstPossessive.contains(tokens[k].word) || thirdPossessive.contains(tokens[k].word) {
            k -= 1
        }
        if k < 0 || tokens[k].clause != tokens[h].clause || openers.contains(tokens[k].word) { return tokens[h].word }
        return nil
    }

    /// The one it was done to, just after the act: "to me", "on him", "from my wife".
    func patient(after end: Int, tokens: [Token], near: Bool) -> (Person, String)? {
        let clause = tokens[end].clause
        var j = end + 1
        while j < tokens.count, j <= end + (near ? 2 : 3), tokens[j].clause == clause {
            let word = tokens[j].word
            if firstObject.contains(word) { return (.first, word) }
            if thirdObject.contains(word) && word != "her" { return (.third, word) }
            if third.contains(word) && j > end + 1 { return (.third, word) }
            j += 1
        }
        return nil
    }
}
