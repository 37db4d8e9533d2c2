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
    /// Words that make an act both sides' ("both", "each other") when "we" did it.
    var mutual: Set<String> = []
    /// Words that open a clause inside another ("while", "because"): "I read her diary while she was at work and
    /// told her mum" goes on after "and" with the outer clause's subject, not the one inside.
    var subordinators: Set<String> = []
    /// Persons that are pronouns ("he", "she"): never the person named after "is the" ("what hurts is that she lied").
    var pronouns: Set<String> = []
    /// Participles that do not end in -ed or -en, for a passive ("I was let down", "he got hurt").
    var participles: Set<String> = []
    /// Acts that report another ("told my wife", "let slip"): followed by another act in the sentence, they only carry it.
    var reporting: Set<String> = []
    /// Phrases that put an act on the user in someone else's words: "she says", "keeps telling everyone",
    /// "accused me of", "like i". What follows in that clause is alleged, not told as fact.
    var accusing: [String: [Understanding.Cue]] = [:]
    /// Words that open a new clause as its subject after "and" ("and it is", "and that was"), besides persons.
    var subjects: Set<String> = ["it", "its", "that", "this", "there"]
    /// The user saying an allegation is false, ending a clause: "i did not", "it is the other way round", "he did".
    var denials: [String: [Understanding.Cue]] = [:]
    /// The user owning an allegation after all: "she is right", "it is true", "i did".
    var owning: [String: [Understanding.Cue]] = [:]
    /// Phrases whose subject was kept in the dark ("has no idea", "didn't know"): that subject is the hurt one.
    var unaware: [String: [Understanding.Cue]] = [:]
    var reach = 8
    var agentWeight = 2.0
    var discoveryWeight = 1.0
    var patientWeight = 1.0

    enum Person { case first, third }

    /// An act put on the user by someone else ("she says i betrayed her"): where it may be, who said it, and
    /// what the user makes of it later in the line.
    struct Allegation {
        enum Verdict { case denied, owned, open }
        var by: String
        var from: Int
        var to: Int
        /// The accusing words end on the user ("accused me of", "like i"): the act right after is the user's.
        var onUser: Bool
        var verdict: Verdict
    }

    typealias Match = (cue: Understanding.Cue, start: Int, end: Int)

    /// The allegations in a line: an accusing phrase said by someone other than the user, with the user named
    /// right after it ("she keeps saying i lied"), covering the rest of that clause up to a contrast ("but").
    /// A denial later in the line ("i didn't. he did") or owning it ("she's right") decides the verdict.
    func allegations(_ tokens: [Token], accusing found: [Match], denials: [Match], owning: [Match], context: Context) -> [Allegation] {
        var out: [Allegation] = []
        for a in found where !context.negated[a.start] {
            let sentence = tokens[a.start].sentence
            let onUser = a.cue.words.contains { first.contains($0) || firstObject.contains($0) }
            // The user named within a few words after the accusing words: "says that i", "told everyone i had".
            guard let named = onUser ? a.end : (a.end + 1..<min(tokens.count, a.end + 5)).first(where: {
                tokens[$0].sentence == sentence && first.contains(tokens[$0].word)
            }) else { continue }
            var to = named
            // Up to a contrast or a new subject: "says i lied and cheated" is one allegation, "and she is right" is not.
            func carriesOn(_ k: Int) -> Bool {
                let word = tokens[k].word
                guard openers.contains(word) else { return true }
                guard coordinators.contains(word) || word == "then", k + 1 < tokens.count else { return false }
                let next = tokens[k + 1].word
                return !(first.contains(next) || third.contains(next) || subjects.contains(next) || tokens[k + 1].name)
            }
            while to + 1 < tokens.count, tokens[to + 1].clause == tokens[named].clause, carriesOn(to + 1) { to += 1 }
            // A clause that ends the line's allegation by saying it is false, or owning it.
            func clauseFinal(_ m: Match) -> Bool {
                m.start > to && (m.end + 1 >= tokens.count || tokens[m.end + 1].clause != tokens[m.end].clause || openers.contains(tokens[m.end + 1].word))
            }
            // A long denial says it all by itself ("i wasnt the one with a second family"); a short one must end its clause.
            let denied = denials.contains { $0.start > to && ($0.cue.words.count > 3 || clauseFinal($0)) }
            let owned = owning.contains { $0.start > to && !context.negated[$0.start] && ($0.cue.words.count > 2 || clauseFinal($0)) }
            // "I keep telling everyone I ..." is the user talking, unless what follows denies it.
            var b = a.start - 1, userSays = false
            while b >= max(0, a.start - 3), tokens[b].sentence == sentence {
                if first.contains(tokens[b].word) { userSays = true; break }
                if third.contains(tokens[b].word) || tokens[b].name { break }
                b -= 1
            }
            if userSays && !denied { continue }
            let from = onUser ? a.start : a.end + 1
            out.append(Allegation(by: a.cue.text, from: from, to: to, onUser: onUser,
                                  verdict: denied ? .denied : owned ? .owned : .open))
        }
        return out
    }

    func read(_ tokens: [Token], acts found: [(cue: Understanding.Cue, start: Int, end: Int)],
              discoveries: [(cue: Understanding.Cue, start: Int, end: Int)], unawareMatches: [(cue: Understanding.Cue, start: Int, end: Int)] = [],
              allegations: [Allegation] = [],
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
               let next = found.filter({ $0.start > end && tokens[$0.start].clause == tokens[start].clause }).min(by: { $0.start < $1.start }),
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
            // "she says i betrayed her", "accused me of lying": an act put on the user counts as the user's only
            // when the user owns it; denied, it tells that the user was wronged; left open, it counts for little.
            if let said = allegations.first(where: { $0.from <= start && start <= $0.to }),
               (said.onUser && start <= said.from + 4 && !cue.words.contains(where: { firstObject.contains($0) }))
                || agent(of: start, tokens: tokens, discoveryEnds: discoveryEnds, language: language).map({ ($0.0 == .first) != $0.2 }) == true {
                switch said.verdict {
                case .denied:
                    scores["hurt", default: 0] += agentWeight * weight
                    evidence["hurt", default: []].append("\(said.by) … \(act), denied")
                case .owned:
                    scores["hurting", default: 0] += agentWeight * weight
                    evidence["hurting", default: []].append("\(said.by) … \(act), owned")
                case .open:
                    // Said of the user and neither denied nor owned: most often the user telling what they are blamed
                    // for ("my wife says i never listen"), so it leans that way, less surely than an act told as fact.
                    scores["hurting", default: 0] += 0.75 * agentWeight * weight
                    evidence["hurting", default: []].append("\(said.by) … \(act)")
                }
                continue
            }
            // "betrayed me", "lied to me": the user is the one it was done to, whoever did it.
            // "the affair was all him": named after a copula, whoever it is did it (and no possessive owns the act).
            let owned = start > 0 && (firstPossessive.contains(tokens[start - 1].word) || thirdPossessive.contains(tokens[start - 1].word))
            if !owned, !cue.words.contains(where: { firstObject.contains($0) }), let (person, word) = copularDoer(after: end, tokens: tokens) {
                let label = person == .first ? "hurting" : "hurt"
                scores[label, default: 0] += agentWeight * weight
                evidence[label, default: []].append("\(act) … \(word)")
            } else if let word = cue.words.first(where: { firstObject.contains($0) }) {
                // "sold me out", "ripped into me": the user is inside the act as the one it was done to.
                scores["hurt", default: 0] += agentWeight * weight
                evidence["hurt", default: []].append("\(act) … \(word)")
            } else if let (person, word) = patient(after: end, tokens: tokens, near: true), person == .first {
                scores["hurt", default: 0] += agentWeight * weight
                evidence["hurt", default: []].append("\(act) … \(word)")
            } else if let (person, word, flipped) = agent(of: start, tokens: tokens, discoveryEnds: discoveryEnds, language: language) {
                // "we both messed up", "we lied to each other": done by both sides, it tells neither role.
                // ("I both lied and cheated" is the user alone: only a plural "we" is both sides.)
                if person == .first, !flipped, word != "i", first.contains(word),
                   tokens.contains(where: { $0.clause == tokens[start].clause && mutual.contains($0.word) }) {
                    continue
                }
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
                if (third.contains(word) || tokens[j].name) && !tokens[j].owner {
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
        // With an object after it ("I neglected her", "she abandoned us") the state word is a deed.
        let takesObject = start + 1 < tokens.count && tokens[start + 1].clause == tokens[start].clause
            && [firstObject, thirdObject, firstPossessive, thirdPossessive].contains { $0.contains(tokens[start + 1].word) }
        let inState = (!takesObject && tokens[start...min(start + 2, tokens.count - 1)].contains { $0.clause == tokens[start].clause && victimStates.contains($0.word) })
            || (experiencer.contains(word) && !feelsGuilt(after: start, tokens: tokens))
        // "I'm so hurt", "I was really let down": words like "so" between the passive and the participle change nothing.
        var p = start - 1
        while p > 0, p >= start - 3, tokens[p].clause == tokens[start].clause, language.fillers.contains(tokens[p].word) { p -= 1 }
        var flipped = (p >= 0 && tokens[p].clause == tokens[start].clause && passive.contains(tokens[p].word) && participle && !states.contains(word)) || inState
        var j = start - 1
        let stop = max(0, start - reach)
        while j >= stop, tokens[j].sentence == sentence {
            let word = tokens[j].word
            // "I felt guilty for lying": guilt is felt by the one who did it, so it does not turn the doer round.
            if discoveryEnds.contains(j) || (experiencer.contains(word) && !feelsGuilt(after: j, tokens: tokens)) { flipped = true }
            if first.contains(word), j > 0, subordinators.contains(tokens[j - 1].word), start > 0, coordinators.contains(tokens[start - 1].word) {
                // "my wife went out while i was at work and slept with my mate": the act after "and" is the outer subject's.
                return outerSubject(before: j - 1, tokens: tokens).map { ($0.0, $0.1, flipped) }
            }
            if first.contains(word) {
                // "the guy I was dating", "someone I trusted": a relative clause; its head is the subject.
                if let head = relativeHead(before: j, tokens: tokens) { return (.third, head, flipped) }
                return (.first, word, flipped)
            }
            // "I am the person who lied", "she was the girl who": a person named after "am the" is the subject before it.
            if third.contains(word), !pronouns.contains(word), j >= 2, determiners.contains(tokens[j - 1].word), copulas.contains(tokens[j - 2].word) {
                j -= 2
                continue
            }
            // "me and her have been sleeping together": an object pronoun joined to the user names both doers.
            if thirdObject.contains(word), j >= 2, coordinators.contains(tokens[j - 1].word),
               first.contains(tokens[j - 2].word) || firstObject.contains(tokens[j - 2].word) {
                return (.first, tokens[j - 2].word, flipped)
            }
            if (third.contains(word) || tokens[j].name) && !tokens[j].owner {
                let k = phraseStart(j, tokens: tokens) - 1
                // "... while she was at work and told her mum": an act right after "and" with no subject of its own
                // belongs to the subject outside the clause that "while" opened; look before it.
                if k >= 0, subordinators.contains(tokens[k].word), start > 0, coordinators.contains(tokens[start - 1].word) {
                    return outerSubject(before: k, tokens: tokens).map { ($0.0, $0.1, flipped) }
                }
                // "me and my coworker have been sleeping together": the user is one of the doers.
                if k >= 1, coordinators.contains(tokens[k].word), first.contains(tokens[k - 1].word) || firstObject.contains(tokens[k - 1].word) {
                    return (.first, tokens[k - 1].word, flipped)
                }
                // "apologise to my best mate for sleeping with his ex": a person after a preposition is an object, not
                // the doer; a preposition ending the clause before ("what for, he is the one") is not theirs.
                if k < 0 || !prepositions.contains(tokens[k].word) || tokens[k].clause != tokens[j].clause { return (.third, word, flipped) }
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

    /// The subject of the clause that a subordinator at `k` ("while", "because") sits inside: the first person its
    /// sentence names before `k`, as a pronoun, a name, or "my wife" opening the sentence (not a possessor like
    /// "my girlfriends diary" or an object). Nil when there is none.
    func outerSubject(before k: Int, tokens: [Token]) -> (Person, String)? {
        let sentence = tokens[k].sentence
        var f = k
        while f > 0, tokens[f - 1].sentence == sentence { f -= 1 }
        let opening = f
        while f < k {
            let w = tokens[f].word
            if first.contains(w) { return (.first, w) }
            if pronouns.contains(w) || (tokens[f].name && !tokens[f].owner) { return (.third, w) }
            if f == opening, firstPossessive.contains(w) || thirdPossessive.contains(w), f + 1 < k, third.contains(tokens[f + 1].word) {
                return (.third, tokens[f + 1].word)
            }
            f += 1
        }
        return nil
    }

    /// Where the phrase naming the person at `j` begins: at "my" in "my best mate", at "the" in "the new girl"; `j` itself
    /// when no possessive or determiner opens it within two words.
    func phraseStart(_ j: Int, tokens: [Token]) -> Int {
        var p = j - 1
        while p >= max(0, j - 3), tokens[p].clause == tokens[j].clause {
            let word = tokens[p].word
            if firstPossessive.contains(word) || thirdPossessive.contains(word) || determiners.contains(word) { return p }
            if first.contains(word) || third.contains(word) || firstObject.contains(word) || thirdObject.contains(word) || prepositions.contains(word)
                || passive.contains(word) || copulas.contains(word) || openers.contains(word) || tokens[p].name { break }
            p -= 1
        }
        return j
    }

    /// The doer named after a copula just after the act: "the affair was all him", "the lying was me". Not through a
    /// preposition ("the affair was with him" names who it was with).
    func copularDoer(after end: Int, tokens: [Token]) -> (Person, String)? {
        let clause = tokens[end].clause
        guard end + 1 < tokens.count, tokens[end + 1].clause == clause, copulas.contains(tokens[end + 1].word) else { return nil }
        var j = end + 2
        while j < tokens.count, j <= end + 3, tokens[j].clause == clause {
            let word = tokens[j].word
            if prepositions.contains(word) { return nil }
            if firstObject.contains(word) || first.contains(word) { return (.first, word) }
            if thirdObject.contains(word) || pronouns.contains(word) || tokens[j].name { return (.third, word) }
            j += 1
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
