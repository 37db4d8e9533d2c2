// The pure dialog engine: step(state, event) -> (state, outputs). No I/O, no clock, no randomness.
import Foundation

public struct Engine: Sendable {
    public let dialogs: Dialogs
    /// Every everyday reply of replies.yaml ("ok", "keep going", "idk") as plain words, read once.
    let replyWords: Set<[String]>

    public init(dialogs: Dialogs) {
        self.dialogs = dialogs
        replyWords = Set(dialogs.replies.phrases.values.joined().map { dialogs.understanding.plainWords($0) })
    }

    var messages: Messages { dialogs.messages }

    public func step(_ state: State, _ event: Event) -> (State, [Output]) {
        var s = state
        var out: [Output] = []
        switch event {
        case let .begin(role):
            s.stack = []
            s.ended = false
            out.append(.say(render("welcome", s)))
            if let role, let flow = dialogs.flow(for: role) {
                s.slots["role"] = role.rawValue
                enter(Frame(flow: flow.id, node: flow.start), &s, &out)
            } else if let start = dialogs.flows["start"] {
                enter(Frame(flow: start.id, node: start.start), &s, &out)
            }
        case .restart:
            // What safety learned outlives a restart, and where they are.
            let kept = (["region"] + State.safetyKeys).compactMap { key in s.slots[key].map { (key, $0) } }
            s = State(seed: s.seed &+ 1)
            for (key, value) in kept { s.slots[key] = value }
            out.append(.notice(render("restarted", s)))
            if let start = dialogs.flows["start"] { enter(Frame(flow: start.id, node: start.start), &s, &out) }
        case let .switchRole(text):
            if let text, dialogs.safety.isMinor(text) { s.slots["minor"] = "yes" }
            if let text, let crisis = checkSafety(text, &s, &out) {
                _ = crisis
                break
            }
            var role: Role?
            if let text, !text.isEmpty {
                role = Role(rawValue: text.lowercased()) ?? dialogs.understanding.read(text, set: "role").label.flatMap(Role.init(rawValue:))
            }
            let next = role ?? (s.role == .hurt ? .hurting : s.role == .hurting ? .hurt : nil)
            guard let next, let flow = dialogs.flow(for: next) else {
                if let start = dialogs.flows["start"] {
                    s.stack = []
                    enter(Frame(flow: start.id, node: start.start), &s, &out)
                }
                break
            }
            s.slots["role"] = next.rawValue
            s.stack = []
            s.ended = false
            s.clarify = nil
            out.append(.notice(render("role-switched", s)))
            enter(Frame(flow: flow.id, node: flow.start), &s, &out)
        case .showResources:
            out.append(.say(render("resources", s)))
            out.append(contentsOf: helpLines(for: nil, s))
        case .help:
            out.append(.say(render(helpContext(s), s)))
            out.append(.say(render("help", s)))
        case let .input(raw):
            let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            s.turn += 1
            if dialogs.safety.isMinor(text) { s.slots["minor"] = "yes" }
            if checkSafety(text, &s, &out) != nil { break }
            if s.ended {
                out.append(.notice(render("ended", s)))
                break
            }
            // "are you a real person or a bot?": answered plainly; a short line asks nothing else, so the question stands.
            if asksAboutMe(text) {
                out.append(.say(render("about-me", s)))
                if dialogs.understanding.plainWords(text).count <= 10 {
                    if s.clarify == nil, let frame = s.current, let node = dialogs.node(frame), case let .choices(choices, _) = node.action {
                        out.append(.choices(choiceTexts(choices, s)))
                    }
                    break
                }
            }
            answer(text, &s, &out)
        }
        return (s, out)
    }

    /// What the user can do right now, as a message key.
    func helpContext(_ s: State) -> String {
        if s.ended { return "help-ended" }
        if s.clarify != nil { return "help-choices" }
        guard let frame = s.current, let node = dialogs.node(frame) else { return "help-ended" }
        switch node.action {
        case .choices: return "help-choices"
        case let .ask(ask): return ask.optional ? "help-ask-optional" : "help-ask"
        case .checkApology: return "help-apology"
        default: return "help-ended"
        }
    }

    // MARK: safety

    /// Checks a line for crisis language first; on a hit, interrupts with the safety flow. Returns the reading.
    func checkSafety(_ text: String, _ s: inout State, _ out: inout [Output]) -> CrisisReading? {
        // The question's own choice, typed out ("a bit of both", "I'm thinking about walking away"), answers it: no crisis.
        guard !isOwnChoice(text, s), let reading = dialogs.safety.check(text), dialogs.flows["safety"] != nil else { return nil }
        out.append(.crisis(reading))
        // Control described (watching, money, cutting off) is remembered: "yes im safe" then still keeps repair off.
        if reading.control != nil { s.slots["control"] = "yes" }
        // Already past the pause for this very crisis: the line answers where the person is ("i took a bunch of
        // pills an hour ago" picks the urgent choice) instead of the first message being shown again word for word.
        // Only when the line picks one of the choices there, and tells nothing new that changes the route (violence
        // the user did, or abuse not yet taken as certain): otherwise the pause starts again.
        if s.current?.flow == "safety", s.clarify == nil, s.slots["crisis"] == reading.category.rawValue, s.slots["crisis_sure"] == "yes",
           let current = s.current, let node = dialogs.node(current), case let .choices(choices, read) = node.action,
           !(reading.violenceByUser && s.slots["violence"] != "yes"),
           !(reading.certain && reading.category == .abuse && !reading.violenceByUser && s.slots["unsafe"] != "yes") {
            var scratch: [Output] = []
            var understood = false
            // A line that only might mean the same crisis ("he says it's because he loves me") is more talking here;
            // a sure one that picks no choice ("he's outside the door and said he'll hurt me") starts the pause again.
            if !reading.certain || pick(text, choices: choices, read: read, s, &scratch, understood: &understood) != nil { return nil }
        }
        s.slots["crisis"] = reading.category.rawValue
        s.slots["crisis_sure"] = reading.certain ? "yes" : "no"
        // Sticky: once the user has said they used violence, later lines do not undo it.
        if reading.violenceByUser { s.slots["violence"] = "yes" }
        if reading.certain && reading.category == .abuse && !reading.violenceByUser { s.slots["unsafe"] = "yes" }
        // What the line also told is kept for after the pause: "i cheated on her and i want to die" answers
        // "what did you do?", so going back to the conversation does not ask it again.
        // Only the parts of the line with no crisis words are read ("saving up my pills" is no secret kept).
        if let current = s.current, current.flow != "safety", s.clarify == nil, let node = dialogs.node(current),
           case let .ask(ask) = node.action, let set = ask.set, s.slots[set] == nil,
           case let calm = calmParts(of: text), !calm.isEmpty,
           let label = dialogs.understanding.read(calm, set: set).label {
            // Only the question's own set: crisis words would skew the others ("better off" is not hope).
            s.slots[set] = label
        } else if let current = s.current, current.flow != "safety", s.clarify == nil, let node = dialogs.node(current),
                  case let .choices(_, read?) = node.action, s.slots[read] == nil,
                  case let calm = calmParts(of: text), !calm.isEmpty, let label = dialogs.understanding.read(calm, set: read).label,
                  // Someone being hurt is never sent to the side of the one who broke the trust by their own words
                  // ("he hit me because I cheated"), nor someone who used violence to the other side.
                  read != "role" || !((reading.category == .abuse && !reading.violenceByUser && label != "hurt") || (reading.violenceByUser && label != "hurting")) {
            // "my husband cheated on me and he hits me" typed at the role question: going back after the pause does
            // not ask who broke the trust again, and what happened is read from the calm part of the line.
            s.slots[read] = label
            var heard: [Output] = []
            listen(calm, also: dialogs.understanding.alsoRead(for: read), &s, &heard)
            if dialogs.understanding.plainWords(calm).count >= 5 { s.told = calm }
        } else if let current = s.current, current.flow != "safety", s.clarify == nil, let node = dialogs.node(current),
                  case .choices(_, "role"?) = node.action, s.slots["role"] == nil, case let calm = calmParts(of: text), !calm.isEmpty {
            // The role is left to the user ("i cheated on him, and he tracks my phone"), but who it is with is kept,
            // so going back does not ask for all of it again. What happened is not: it may be either side's.
            if s.slots["relationship"] == nil, let who = dialogs.understanding.read(calm, set: "relationship").label { s.slots["relationship"] = who }
        }
        s.clarify = nil
        s.ended = false
        let frame = Frame(flow: "safety", node: "start")
        if s.current?.flow == "safety" {
            s.stack[s.stack.count - 1] = frame
        } else {
            s.stack.append(frame)
        }
        enter(frame, &s, &out, replacing: true)
        return reading
    }

    /// Whether a line is (nearly) one of the current question's own choice texts: the same plain words, or all of
    /// them but one for a choice of three words or more. Never with a word the choice lacks: "one of us is thinking
    /// of ending it all" is checked for crisis like any line.
    func isOwnChoice(_ text: String, _ s: State) -> Bool {
        guard let frame = s.current, let node = dialogs.node(frame) else { return false }
        var shown: [String] = []
        if let clarify = s.clarify {
            shown = clarify.labels.map { dialogs.understanding.title(of: $0, in: clarify.set) }
        } else if case let .choices(choices, _) = node.action {
            shown = choiceTexts(choices, s)
        }
        let words = dialogs.understanding.plainWords(text)
        guard !words.isEmpty else { return false }
        return shown.contains { choice in
            let own = dialogs.understanding.plainWords(choice)
            if own == words { return true }
            guard own.count >= 3, own.count - words.count == 1 else { return false }
            var rest = own
            for w in words {
                guard let i = rest.firstIndex(of: w) else { return false }
                rest.remove(at: i)
            }
            return rest.count == 1
        }
    }

    /// The clauses of a line that hold no crisis language, joined: "i cheated on her and i want to die"
    /// gives "i cheated on her".
    func calmParts(of text: String) -> String {
        var parts: [String] = []
        var current = ""
        func flush() {
            let part = current.trimmingCharacters(in: .whitespaces)
            if !part.isEmpty, dialogs.safety.check(part) == nil { parts.append(part) }
            current = ""
        }
        for word in text.split(separator: " ") {
            let lower = word.lowercased()
            if ["and", "but", "so", "because", "cause", "cos"].contains(lower) { flush(); continue }
            current += (current.isEmpty ? "" : " ") + word
            if let last = word.last, ".,;!?".contains(last) { flush() }
        }
        flush()
        return parts.joined(separator: ". ")
    }

    func helpLines(for category: CrisisCategory?, _ s: State) -> [Output] {
        let region = s.slots["region"]
        let minor = s.slots["minor"] == "yes"
        let violence = s.slots["violence"] == "yes"
        let result = dialogs.safety.lines(region: region, category: category, minor: minor, usesViolence: violence)
        var out: [Output] = []
        // In the pause itself the next step offers to pick a country, so the note about --region is left out there.
        if result.fallback && s.current?.flow != "safety" { out.append(.say(render("resources-fallback", s))) }
        out.append(.helpLines(result.lines, region: result.fallback ? nil : region))
        return out
    }

    // MARK: answering

    func answer(_ text: String, _ s: inout State, _ out: inout [Output]) {
        guard let frame = s.current, let node = dialogs.node(frame) else {
            out.append(.notice(render("ended", s)))
            return
        }
        // "thanks. i think i need to stop" in the safety pause: stop at once, even where words are asked for.
        if frame.flow == "safety", s.clarify == nil, case .ask = node.action, isStopWord(text), dialogs.flows["safety"]?.node("stop") != nil {
            enter(Frame(flow: "safety", node: "stop"), &s, &out)
            return
        }
        // "i'm in australia" typed at a safety question while the country is unknown: taken as the country, said
        // back, and the question stands.
        if frame.flow == "safety", s.slots["region"] == nil, s.clarify == nil, case let .choices(choices, _) = node.action,
           let region = regionNamed(in: text) {
            s.slots["region"] = region.code
            var slots = s.slots
            slots["country"] = region.name
            out.append(.say(dialogs.words.render(messages.text("region-taken", variant: s.turn), slots: slots)))
            out.append(contentsOf: helpLines(for: s.slots["crisis"].flatMap(CrisisCategory.init(rawValue:)), s))
            out.append(.choices(choiceTexts(choices, s)))
            return
        }
        if let clarify = s.clarify, case let .ask(ask) = node.action {
            answerClarify(text, clarify, ask, node, &s, &out)
            return
        }
        switch node.action {
        case let .choices(choices, read):
            var understood = false
            // "no more secrets about money, I will show you every statement each month" at "Go on": the promise a
            // later step asks for, typed now. Kept and said back; the rest of the line ("yes, ...") may still pick
            // a choice, else the same choices are offered again.
            var heard = false
            let full = text
            var text = text
            if frame.flow != "safety", Int(text) == nil, case let (said, rest) = heardEarly(full, &s), !said.isEmpty {
                s.misses = 0
                heard = true
                for t in said { out.append(.say(dialogs.words.render(t.text, slots: s.slots))) }
                text = rest
                if dialogs.understanding.plainWords(rest).isEmpty {
                    out.append(.choices(choiceTexts(choices, s)))
                    return
                }
            }
            if let index = pick(text, choices: choices, read: read, s, &out, understood: &understood) {
                let missedBefore = s.misses
                s.misses = 0
                if understood, let read { listen(text, also: dialogs.understanding.alsoRead(for: read), &s, &out) }
                let choice = choices[index]
                // "no she's my sister not my friend" picks "Not quite", which would forget all that was read: a
                // correction changes only what it names, keeps the rest, and the same question comes again.
                let forgotten = choice.fills.filter { $0.value.isEmpty && Catalog.sets[$0.key] != nil }.map(\.key)
                let named = forgotten.isEmpty ? [] : ["breach", "relationship", "stage", "feeling"].compactMap { set in
                    dialogs.understanding.read(full, set: set).label.map { (set, $0) }
                }
                // A correction that changes nothing ("not quite, he's my husband" with a partner known) is taken once;
                // the same again forgets what happened as a plain "not quite" does, so the summary never loops.
                let changes = named.contains { s.slots[$0.0] != $0.1 }
                if !named.isEmpty, changes || missedBefore == 0 {
                    // A new act forgets the words kept for the old one; anything else stays known.
                    if named.contains(where: { $0.0 == "breach" && $0.1 != s.slots["breach"] }) {
                        for (k, v) in choice.fills where v.isEmpty && Catalog.sets[k] == nil { s.slots[k] = nil }
                    }
                    for (set, label) in named { s.slots[set] = label }
                    out.append(.say(render("corrected", s)))
                    enter(frame, &s, &out)
                    if !changes { s.misses = 1 }
                    return
                }
                for (k, v) in choice.fills { s.slots[k] = v.isEmpty ? nil : v }
                if let read, let label = choice.label { s.slots[read] = label }
                go(choice.target, from: frame, &s, &out)
            } else if heard {
                out.append(.choices(choiceTexts(choices, s)))
            } else if isStopWord(text) {
                // "stop", "bye" at a question with no way to stop among its choices: stop, not a guess at an answer.
                if frame.flow == "safety", dialogs.flows["safety"]?.node("stop") != nil {
                    enter(Frame(flow: "safety", node: "stop"), &s, &out)
                } else {
                    out.append(.say(render("stopped", s)))
                    s.ended = true
                    out.append(.ended)
                }
            } else if let otherwise = node.otherwise {
                go(otherwise, from: frame, &s, &out)
            } else if read != "feeling", s.slots["feeling"] != nil, saysOwnFeeling(text), case let reading = dialogs.understanding.read(text, set: "feeling"),
                      let feeling = reading.label, feeling != s.slots["feeling"], reading.confidence >= 0.6 {
                // "hope?? no. im gutted and humiliated": the user putting their feeling right. Take it, say so, ask again.
                s.slots["feeling"] = feeling
                out.append(.say(render("feeling-corrected", s)))
                out.append(.choices(choiceTexts(choices, s)))
            } else if frame.flow != "safety", case let taken = stillNeeded(text, read: read, &s), !taken.isEmpty {
                // "im so angry i cant even look at him" at the summary: how they feel, kept and said back, not asked later.
                s.misses = 0
                var shown = s.slots
                for set in ["feeling", "stage"] where !taken.contains(set) { shown[set] = nil }
                out.append(.say(dialogs.words.render(messages.text("taken", variant: s.turn), slots: shown)))
                out.append(.choices(choiceTexts(choices, s)))
            } else if frame.flow != "safety", let next = nextUnseen(text, choices, s) {
                // "go on" at a menu of topics: the next one not looked at yet, or say that all of them have been.
                s.misses = 0
                if let index = next {
                    go(choices[index].target, from: frame, &s, &out)
                } else {
                    out.append(.say(render("all-seen", s)))
                    out.append(.choices(choiceTexts(choices, s)))
                }
            } else if s.misses >= 1 {
                // A second reply that picks nothing: a gentle way on, never a third asking. The node's default, else
                // where all the choices lead (a question whose answer only colours what comes), else the first choice.
                s.misses = 0
                out.append(.say(render("not-understood-again", s)))
                let targets = choices.map(\.target)
                if let fallback = node.fallback ?? (Set(targets).count == 1 ? targets[0] : nil) {
                    go(fallback, from: frame, &s, &out)
                } else {
                    let choice = choices[0]
                    for (k, v) in choice.fills { s.slots[k] = v.isEmpty ? nil : v }
                    go(choice.target, from: frame, &s, &out)
                }
            } else {
                s.misses += 1
                out.append(.say(render("pick-a-number", s)))
                out.append(.choices(choiceTexts(choices, s)))
            }
        case let .ask(ask):
            if let set = ask.set {
                // The answer after a bare "Not quite": what it says clearly of the other sets puts them right too.
                if s.slots["correcting"] == "yes" {
                    s.slots["correcting"] = nil
                    for other in ask.also {
                        let r = dialogs.understanding.read(text, set: other)
                        if let label = r.label, r.confidence >= 0.8 { s.slots[other] = label }
                    }
                }
                let reading = dialogs.understanding.read(text, set: set, asked: true)
                out.append(.understood(reading))
                if let label = reading.label {
                    accept(label, text: text, ask: ask, frame: frame, &s, &out)
                } else {
                    // The labels the line pointed to come first ("confused and angry": those two, then the rest).
                    let all = Catalog.sets[set] ?? []
                    let leaning = (reading.leaning ?? []).filter(all.contains)
                    let labels = leaning + all.filter { !leaning.contains($0) }
                    s.clarify = Clarify(set: set, labels: labels, misses: 1)
                    if let keep = ask.keep, !text.isEmpty { s.slots[keep] = clean(text) }
                    listen(text, also: ask.also, &s, &out)
                    retell(text, ask: ask, &s)
                    out.append(.say(render("not-understood", s)))
                    out.append(.choices(labels.map { dialogs.understanding.title(of: $0, in: set) }))
                }
            } else {
                let skip = isSkip(text)
                if ask.name, isQuestion(text) {
                    // "why do you need a name?": answered, and the question stands.
                    listen(text, also: ask.also, &s, &out)
                    out.append(.say(render("why-name", s)))
                    return
                }
                if !text.isEmpty, !skip, case let (said, _) = heardEarly(text, &s, except: ask.slot, acts: false), !said.isEmpty {
                    // "I will be honest from now on" where the act was asked: kept for its own question; this one stands.
                    for t in said { out.append(.say(dialogs.words.render(t.text, slots: s.slots))) }
                    out += node.say.map { .say(dialogs.words.render($0.text, slots: s.slots)) }
                    return
                }
                if text.isEmpty || skip {
                    if !ask.optional {
                        out.append(.say(render("pick-a-number", s)))
                        return
                    }
                } else if let expect = ask.expect, let instead = saysInstead(text, expect) {
                    // Heard, and kept: "so ashamed" typed where the act was asked is not asked for again later
                    // ("ashamed and scared", two feelings at once, is heard but left for the feeling question to settle).
                    if s.slots[expect.instead] == nil, let instead { s.slots[expect.instead] = instead }
                    if s.misses == 0 {
                        s.misses = 1
                        out.append(.say(dialogs.words.render(expect.say.text, slots: s.slots)))
                        return
                    }
                    // Asked twice: go on without it, so no script quotes a feeling back as the act.
                } else if !isOnlyAReply(text), let expect = ask.expect, notTheirDoing(text, expect) {
                    // "she found out 3 days ago" where the user was asked what they did: ask once for their own doing,
                    // then go on without it.
                    if s.misses == 0 {
                        s.misses = 1
                        out.append(.say(render("ask-own-doing", s)))
                        return
                    }
                } else if isOnlyAReply(text) {
                    // "ok", "yes" or "2" where the question wants the user's own words: ask once more,
                    // then go on without keeping it, so a script never quotes "Sure." back at them.
                    s.misses += 1
                    if s.misses == 1 {
                        out.append(.say(render("ask-in-words", s)))
                        return
                    }
                } else {
                    listen(text, also: ask.also, &s, &out)
                    // "no, SHE broke my trust, not me" where the hurting flow asked whose trust was broken: the user is
                    // putting the role right. Go to the other flow, keeping what the line told.
                    if ask.name, let current = s.role, let said = dialogs.understanding.read(text, set: "role").label.flatMap(Role.init(rawValue:)),
                       said != current, let flow = dialogs.flow(for: said) {
                        s.slots["role"] = said.rawValue
                        s.stack = []
                        out.append(.notice(render("role-corrected", s)))
                        enter(Frame(flow: flow.id, node: flow.start), &s, &out)
                        return
                    }
                    // "my husband" answers "who?" with a relationship, not a name: keep it out of the slot.
                    let kept = ask.name ? personName(trimmed(clean(text), ask.trim, lowerFirst: false))
                        : ask.firstPerson ? toThem(dialogs.retelling.firstPerson(clean(text)), ask, s) : toThem(trimmed(clean(text), ask), ask, s)
                    if let kept, !opensWith(kept, ask.unless) {
                        s.slots[ask.slot] = kept
                    } else if kept != nil, let again = ask.again, s.misses == 0 {
                        // "it just came out last week" where a promise was asked: asked once more, gently; then left out.
                        s.misses = 1
                        out.append(.say(dialogs.words.render(again.text, slots: s.slots)))
                        return
                    }
                }
                if let next = ask.next { go(next, from: frame, &s, &out) }
            }
        case let .checkApology(slot, next):
            if isSkip(text) {
                go(next, from: frame, &s, &out)
                return
            }
            // What they said they did earlier ("I read your diary without asking"), as "read your diary without asking".
            let known = s.slots["act"].map { act -> String in
                let lower = act.lowercased()
                return lower.hasPrefix("i ") ? String(act.dropFirst(2)) : act
            }
            let review = dialogs.apology.review(text, known: known)
            let flags = review.flags
            if flags.isEmpty {
                s.slots[slot] = clean(text)
                // No dodges: it is kept either way; what a fuller apology would add is offered, not required.
                if review.notes.isEmpty {
                    out.append(.say(render("apology-clean", s)))
                } else {
                    out.append(.say(render("apology-clean-notes", s)))
                    out.append(.apology(review.notes))
                }
                let script = GivenScript(topic: "apology", text: text, when: render("apology-when", s), node: node.id, points: node.points)
                s.given.append(script)
                out.append(.script(script))
                go(next, from: frame, &s, &out)
            } else {
                out.append(.say(render("apology-flags", s)))
                out.append(.apology(flags))
                out.append(.say(render("apology-revise", s)))
            }
        case .next, .call, .back, .end:
            out.append(.notice(render("ended", s)))
        }
    }

    func answerClarify(_ text: String, _ clarify: Clarify, _ ask: Ask, _ node: Node, _ s: inout State, _ out: inout [Output]) {
        guard let frame = s.current else { return }
        var label: String?
        if let n = Int(text), n >= 1, n <= clarify.labels.count {
            label = clarify.labels[n - 1]
        } else {
            let reading = dialogs.understanding.read(text, set: clarify.set, asked: true)
            out.append(.understood(reading))
            label = reading.label
            if label == nil, let n = matchTitle(text, clarify) { label = clarify.labels[n] }
        }
        if let label {
            s.clarify = nil
            accept(label, text: nil, ask: ask, frame: frame, &s, &out)
            return
        }
        // A second miss: a gentle way on, never a loop.
        s.clarify = nil
        out.append(.say(render("not-understood-again", s)))
        if let next = ask.next { go(next, from: frame, &s, &out) } else if let first = ask.routes.keys.sorted().first, let t = ask.routes[first] {
            go(t, from: frame, &s, &out)
        }
    }

    func matchTitle(_ text: String, _ clarify: Clarify) -> Int? {
        let lower = text.lowercased()
        let words = dialogs.understanding.plainWords(text)
        return clarify.labels.firstIndex { lower == $0 || lower == dialogs.understanding.title(of: $0, in: clarify.set).lowercased()
            || (!words.isEmpty && words == dialogs.understanding.plainWords(dialogs.understanding.title(of: $0, in: clarify.set))) }
    }

    func accept(_ label: String, text: String?, ask: Ask, frame: Frame, _ s: inout State, _ out: inout [Output]) {
        s.slots[ask.slot] = label
        if let keep = ask.keep, let text, !text.isEmpty { s.slots[keep] = clean(text) }
        if let text { listen(text, also: ask.also, &s, &out) }
        if let text { retell(text, ask: ask, &s) }
        let target = ask.routes[label] ?? ask.routes["default"] ?? ask.next
        if let target { go(target, from: frame, &s, &out) }
    }

    /// What the person did, retold as "you ...", for scripts; emptied when this answer does not say it plainly.
    func retell(_ text: String, ask: Ask, _ s: inout State) {
        guard let slot = ask.retell else { return }
        s.slots[slot] = dialogs.retelling.retell(text, name: s.slots["name"], breach: s.slots["breach"], understanding: dialogs.understanding)
    }

    /// One description fills many slots: the other sets are read too, and kept when the reading is clear.
    func listen(_ text: String, also: [String], _ s: inout State, _ out: inout [Output]) {
        for set in also where s.slots[set] == nil {
            let reading = dialogs.understanding.read(text, set: set)
            if let label = reading.label {
                out.append(.understood(reading))
                s.slots[set] = label
                // A line long enough to tell what happened, not "my husband" answering "who?".
                if dialogs.understanding.plainWords(text).count >= 5 { s.told = text }
            }
        }
    }

    func pick(_ text: String, choices: [Choice], read: String?, _ s: State, _ out: inout [Output], understood: inout Bool) -> Int? {
        let lower = text.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: " .!"))
        if let n = Int(lower), n >= 1, n <= choices.count { return n - 1 }
        let rendered = choices.map { dialogs.words.render($0.text.text, slots: s.slots).lowercased() }
        if let exact = rendered.firstIndex(of: lower) { return exact }
        // The choice typed as people type it: "im not sure", "thats right", "Not quite."
        let words = dialogs.understanding.plainWords(text)
        if !words.isEmpty, let same = rendered.firstIndex(where: { dialogs.understanding.plainWords($0) == words }) { return same }
        if lower.count >= 3 {
            let prefixed = rendered.indices.filter { rendered[$0].hasPrefix(lower) }
            if prefixed.count == 1 { return prefixed[0] }
        }
        if let read {
            let reading = dialogs.understanding.read(text, set: read, asked: true)
            out.append(.understood(reading))
            if let label = reading.label, let index = choices.firstIndex(where: { $0.label == label }) {
                understood = true
                return index
            }
        }
        // By meaning: the choice's own words, its `means` phrases, and the everyday replies for its text.
        let options = zip(choices, rendered).map { choice, shown in
            ChoiceOption(means: [shown] + choice.means, replies: dialogs.replies.phrases(for: shown, understanding: dialogs.understanding))
        }
        if let chosen = dialogs.understanding.choose(text, options: options) {
            understood = true
            return chosen.index
        }
        return nil
    }

    func opensWith(_ text: String, _ openings: [String]) -> Bool {
        openings.contains { (text.lowercased() + " ").hasPrefix($0.lowercased() + " ") }
    }

    /// Answers to questions still to come, typed at a choice: a sentence opening with one of an unanswered
    /// question's `anywhere` openings ("I will ...", "I need her to ...") fills its slot. What to say back, per slot filled.
    /// With `acts`, also what the user did ("I read her diary without asking"), said as they would say it.
    /// What to say back, per slot filled, and the line without the sentences taken.
    func heardEarly(_ text: String, _ s: inout State, except: String? = nil, acts: Bool = true) -> ([Template], String) {
        guard let role = s.role, let flow = dialogs.flow(for: role) else { return ([], text) }
        var said: [Template] = []
        var rest = text
        for node in flow.nodes {
            guard case let .ask(ask) = node.action, !ask.anywhere.isEmpty, ask.slot != except, acts || !ask.firstPerson,
                  let found = sentence(in: text, opening: ask.anywhere) else { continue }
            let kept = toThem(ask.firstPerson ? dialogs.retelling.firstPerson(clean(found)) : dialogs.retelling.toYou(trimmed(clean(found), ask)), ask, s)
            // A few words at least, so "I'll stop here" or "I need to go" is no promise or need.
            guard dialogs.understanding.plainWords(kept).count >= 4, !opensWith(kept, ask.unless) else { continue }
            // An act is one the user did, in the past, and reads as what the question expects ("I read her diary").
            if ask.firstPerson {
                guard s.slots[ask.slot] == nil, dialogs.retelling.opensWithPastAct(kept),
                      ask.expect.map({ dialogs.understanding.read(kept, set: $0.set).label != nil }) ?? true else { continue }
            }
            if let range = rest.range(of: found) { rest.removeSubrange(range) }
            // A second promise joins the first one.
            if let earlier = s.slots[ask.slot], !earlier.isEmpty {
                if earlier.lowercased().contains(kept.lowercased()) { continue }
                s.slots[ask.slot] = earlier + ", and " + kept
            } else {
                s.slots[ask.slot] = kept
            }
            if let k = ask.kept { said.append(k) }
        }
        return (said, rest)
    }

    /// The sentence of `text` from the first clause that opens with one of `openings` on, or nil.
    func sentence(in text: String, opening openings: [String]) -> String? {
        let chars = Array(text.replacingOccurrences(of: "\u{2019}", with: "'"))
        var starts = [0]
        for (i, c) in chars.enumerated() where ",.;!?:".contains(c) { starts.append(i + 1) }
        for start in starts {
            var k = start
            while k < chars.count, chars[k] == " " { k += 1 }
            let rest = String(chars[k...]).lowercased()
            guard openings.contains(where: { rest.hasPrefix($0.lowercased() + " ") }) else { continue }
            // To the end of the sentence, or a comma before another subject ("..., we are in counselling").
            var end = k
            while end < chars.count, !".!?".contains(chars[end]) {
                if chars[end] == ",", let next = String(chars[(end + 1)...]).lowercased().split(separator: " ").first,
                   dialogs.retelling.newClause.contains(String(next)) { break }
                end += 1
            }
            return String(chars[k..<end])
        }
        return nil
    }

    /// The sets the conversation still needs (feeling, stage) that a line read at a choice says plainly; kept.
    func stillNeeded(_ text: String, read: String?, _ s: inout State) -> [String] {
        guard s.role != nil, !isOnlyAReply(text) else { return [] }
        var taken: [String] = []
        for set in ["feeling", "stage"] where set != read && s.slots[set] == nil {
            if let label = dialogs.understanding.read(text, set: set).label {
                s.slots[set] = label
                taken.append(set)
            }
        }
        return taken
    }

    /// For "go on" at a menu of topics (no "Go on" among its choices): the first topic whose advice has not been
    /// given yet (nil inside when all have); nil when the line is no "go on" or the menu has no topics.
    func nextUnseen(_ text: String, _ choices: [Choice], _ s: State) -> Int?? {
        let shown = choiceTexts(choices, s)
        guard !shown.contains(where: { dialogs.understanding.plainWords($0) == ["go", "on"] }),
              dialogs.understanding.choose(text, options: [ChoiceOption(means: ["go on"], replies: dialogs.replies.phrases(for: "Go on", understanding: dialogs.understanding))]) != nil
        else { return nil }
        let points = choices.map { advicePoint($0.target, from: s) }
        guard points.contains(where: { $0 != nil }) else { return nil }
        return .some(points.firstIndex { $0 != nil && !s.points.contains($0!) })
    }

    /// The advice point a choice leads to, following the way a conversation would go from it.
    func advicePoint(_ target: Target, from s: State) -> String? {
        var frame = Frame(flow: target.flow ?? s.current?.flow ?? "", node: target.node)
        var slots = s.slots
        for _ in 0..<20 {
            guard let node = dialogs.node(frame) else { return nil }
            if let branch = node.when.first(where: { $0.condition.holds(in: slots) }) {
                frame = Frame(flow: branch.target.flow ?? frame.flow, node: branch.target.node)
                continue
            }
            for (k, v) in node.fills { slots[k] = v.isEmpty ? nil : v }
            if let point = node.points.first { return point }
            switch node.action {
            case let .next(t): frame = Frame(flow: t.flow ?? frame.flow, node: t.node)
            case let .ask(ask):
                guard let t = ask.next else { return nil }
                frame = Frame(flow: t.flow ?? frame.flow, node: t.node)
            case let .call(flow, _):
                guard let called = dialogs.flows[flow] else { return nil }
                frame = Frame(flow: called.id, node: called.start)
            default: return nil
            }
        }
        return nil
    }

    /// "why do you need a name?", "what do you mean by first name?": a question back, not an answer.
    func isQuestion(_ text: String) -> Bool {
        let words = dialogs.understanding.plainWords(text)
        guard words.count >= 2, words.count <= 8 else { return false }
        if text.trimmingCharacters(in: .whitespaces).hasSuffix("?") { return true }
        // Without a question mark, only a question about this step: "what he did was cheat" is telling.
        return (messages.texts["question-word"] ?? []).contains(words[0]) && (words.contains("name") || words.contains("you"))
    }

    /// Whether a line speaks of the user's own feeling ("im gutted", "no, i feel numb", "not angry, sad"), so a
    /// feeling read in it at a choice can put the earlier one right; "we are trying to get past it" does not.
    func saysOwnFeeling(_ text: String) -> Bool {
        let words = dialogs.understanding.plainWords(text)
        return words.contains { ["feel", "felt", "feeling", "not", "no", "actually", "am"].contains($0) }
    }

    /// A line that tells no act of the expected set, has the user nowhere in it and someone else in it ("she found
    /// out 3 days ago"): not an answer to "what did you do?". "forgot her birthday again" (no "I") still is.
    func notTheirDoing(_ text: String, _ expect: Expectation) -> Bool {
        guard dialogs.understanding.read(text, set: expect.set).label == nil else { return false }
        let g = dialogs.understanding.grammar
        let words = dialogs.understanding.plainWords(text)
        // "he's not really talking to me": a line that opens with someone else doing something is about them.
        let opening = words.first { !dialogs.understanding.language.fillers.contains($0) }
        if let opening, dialogs.retelling.pronouns.values.contains(where: { $0.first == opening }) { return true }
        return !words.contains { g.first.contains($0) || g.firstObject.contains($0) || g.firstPossessive.contains($0) } && words.contains { g.third.contains($0) }
    }

    /// Words the user will say to the person (`said-to-them`), with that person as "you": "I lied to my wife" is
    /// "I lied to you". A noun is that person when it reads as the relationship the conversation is about.
    func toThem(_ text: String, _ ask: Ask, _ s: State) -> String {
        guard ask.saidToThem else { return text }
        let relationship = s.slots["relationship"]
        return dialogs.retelling.toThem(text, name: s.slots["name"]) { noun in
            relationship != nil && dialogs.understanding.read(noun, set: "relationship").label == relationship
        }
    }

    /// When an answer speaks of `expect.instead` (a feeling) and says nothing at all of `expect.set` (an act): the
    /// label it reads as, or nil inside when it names more than one ("ashamed and scared"). Nil when it is no such answer.
    func saysInstead(_ text: String, _ expect: Expectation) -> String?? {
        let cues = dialogs.understanding.read(text, set: expect.set).evidence.filter { !$0.hasPrefix("~") && !$0.hasPrefix("not ") }
        guard cues.isEmpty else { return nil }
        let reading = dialogs.understanding.read(text, set: expect.instead)
        if let label = reading.label { return .some(label) }
        return (reading.leaning ?? []).isEmpty ? nil : .some(nil)
    }

    /// A bare number, or a line that is only a yes, a no, an "ok" or an "i don't know": a reply to a
    /// choice, not the words a free-text question asks for.
    func isOnlyAReply(_ text: String) -> Bool {
        let words = dialogs.understanding.plainWords(text)
        if words.isEmpty { return false }
        if words.count == 1, Int(words[0]) != nil { return true }
        guard words.count <= 3 else { return false }
        if dialogs.understanding.read(text, set: "yesno").label != nil { return true }
        // Any everyday reply of replies.yaml ("ok", "keep going", "idk") is a reply, not the user's own words.
        return replyWords.contains(words)
    }

    /// The country a line names ("im in australia", "we live in germany"), from the safety flow's `pick-region`
    /// choices and their `means`: its code and the choice's wording. Nil when it names none, or more than one.
    func regionNamed(in text: String) -> (code: String, name: String)? {
        guard let node = dialogs.flows["safety"]?.node("pick-region"), case let .choices(choices, _) = node.action else { return nil }
        let words = dialogs.understanding.plainWords(text)
        let before = Set((messages.texts["country-before"] ?? []).flatMap { dialogs.understanding.plainWords($0) })
        func has(_ phrase: String) -> Bool {
            let p = dialogs.understanding.plainWords(phrase)
            // A two-letter name ("us", "uk", "oz") is a country only after "in" or "the": "it's just us" is not the US.
            let short = p.count == 1 && p[0].count <= 2
            return places(of: p, in: words).contains { !short || ($0 > 0 && before.contains(words[$0 - 1])) }
        }
        let found = choices.filter { c in c.fills["region"] != nil && (has(c.text.text) || c.means.contains(where: has)) }
        guard found.count == 1, let choice = found.first, let code = choice.fills["region"] else { return nil }
        return (code, choice.text.text)
    }

    /// Whether a line asks what mend is (messages.yaml `about-me-question`).
    func asksAboutMe(_ text: String) -> Bool {
        let words = dialogs.understanding.plainWords(text)
        return (messages.texts["about-me-question"] ?? []).contains { !places(of: dialogs.understanding.plainWords($0), in: words).isEmpty }
    }

    /// Where a phrase's words stand, one after another, in a line's words.
    func places(of phrase: [String], in words: [String]) -> [Int] {
        guard !phrase.isEmpty, words.count >= phrase.count else { return [] }
        return (0...(words.count - phrase.count)).filter { Array(words[$0..<($0 + phrase.count)]) == phrase }
    }

    /// A line that is only a way of stopping (messages.yaml `stop-word`), or ends with one as its own sentence
    /// ("thanks. i think i need to stop"); "i need to stop feeling like this" is not one.
    func isStopWord(_ text: String) -> Bool {
        let last = text.split(whereSeparator: { ".!?;,".contains($0) }).last.map(String.init) ?? text
        let lines = [dialogs.understanding.plainWords(text), dialogs.understanding.plainWords(last)].filter { !$0.isEmpty }
        return (messages.texts["stop-word"] ?? []).contains { stop in lines.contains(dialogs.understanding.plainWords(stop)) }
    }

    func isSkip(_ text: String) -> Bool {
        let words = messages.texts["skip-word"] ?? []
        return words.contains { $0.lowercased() == text.lowercased() }
    }

    /// The user's words as a clause a script can quote: trimmed, no trailing full stop.
    func clean(_ text: String) -> String {
        var t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        while let last = t.last, ".!".contains(last) { t.removeLast() }
        return t
    }

    /// Drops the first matching opening ("I will ", "I need ") so the rest reads inside a script's sentence.
    /// A name as a script can use it: "tom" is "Tom", "Tom, my husband" is "Tom"; nil when it is more
    /// than a few words ("he's the man I married"), which is no name.
    func personName(_ text: String) -> String? {
        // "ok, his name is Tom": the first part that is not a reply; "no" or "ok" alone is no name.
        let parts = text.split(whereSeparator: { ",.;!?".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = parts.first(where: { !$0.isEmpty && !isOnlyAReply($0) }) else { return nil }
        let words = first.split(separator: " ")
        guard !words.isEmpty, words.count <= 3 else { return nil }
        return words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
    }

    /// An answer without the question's `trim` openings and `trim-end` endings.
    func trimmed(_ text: String, _ ask: Ask) -> String {
        var result = trimmed(text, ask.trim)
        for ending in ask.trimEnd.sorted(by: { $0.count > $1.count }) {
            let e = " " + ending.lowercased()
            var body = result
            while let last = body.last, ".,!;".contains(last) { body.removeLast() }
            if body.lowercased().hasSuffix(e), body.count > e.count {
                result = String(body.dropLast(e.count)).trimmingCharacters(in: CharacterSet(charactersIn: " ,"))
                break
            }
        }
        return result
    }

    func trimmed(_ text: String, _ openings: [String], lowerFirst: Bool = true) -> String {
        guard !openings.isEmpty else { return text }
        var result = text
        let lower = text.lowercased()
        for opening in openings.sorted(by: { $0.count > $1.count }) {
            let o = opening.lowercased() + " "
            let rest = text.dropFirst(o.count).trimmingCharacters(in: .whitespaces)
            if lower.hasPrefix(o), !rest.isEmpty {
                result = rest
                break
            }
        }
        // "Be honest" continues a sentence, so it starts lower case ("I" and "NHS" stay as they are).
        let chars = Array(result)
        if lowerFirst, chars.count > 1, chars[0].isUppercase, chars[1].isLowercase {
            result = chars[0].lowercased() + String(chars.dropFirst())
        }
        return result
    }

    // MARK: moving

    func go(_ target: Target, from frame: Frame, _ s: inout State, _ out: inout [Output]) {
        // A jump, even to another flow, replaces the current frame: only a call returns.
        enter(Frame(flow: target.flow ?? frame.flow, node: target.node), &s, &out)
    }

    /// Enters a node: conditions, fills, words, script, then its way forward. Nodes that need no answer chain on.
    func enter(_ frame: Frame, _ s: inout State, _ out: inout [Output], replacing: Bool = false) {
        if !replacing {
            if s.stack.isEmpty { s.stack.append(frame) } else { s.stack[s.stack.count - 1] = frame }
        }
        var hops = 0
        var frame = frame
        while hops < 200 {
            hops += 1
            s.stack[s.stack.count - 1] = frame
            s.misses = 0
            guard let node = dialogs.node(frame) else { s.ended = true; out.append(.ended); return }
            if node.repair && s.slots["unsafe"] == "yes" && frame.flow != "safety" {
                frame = Frame(flow: "safety", node: "repair-blocked")
                continue
            }
            if let branch = node.when.first(where: { $0.condition.holds(in: s.slots) }) {
                frame = Frame(flow: branch.target.flow ?? frame.flow, node: branch.target.node)
                continue
            }
            for (k, v) in node.fills { s.slots[k] = v.isEmpty ? nil : v }
            // A question already answered is skipped, so nobody repeats themselves.
            if case let .ask(ask) = node.action, let value = s.slots[ask.slot], !value.isEmpty {
                if let told = s.told, ask.keep != nil {
                    if let keep = ask.keep, s.slots[keep] == nil { s.slots[keep] = clean(told) }
                    if let slot = ask.retell, s.slots[slot] == nil { retell(told, ask: ask, &s) }
                    s.told = nil
                }
                let target = ask.set != nil ? (ask.routes[value] ?? ask.routes["default"] ?? ask.next) : ask.next
                if let target {
                    frame = Frame(flow: target.flow ?? frame.flow, node: target.node)
                    continue
                }
            }
            // "What happened?" when an earlier line already told it but not clearly enough to be sure:
            // read that line as the answer (asking which label is closest) instead of asking again.
            if case let .ask(ask) = node.action, let set = ask.set, ask.keep != nil, let told = s.told {
                s.told = nil
                // Only when the line says something of it (two cues or more), not "i broke my friend's trust".
                if dialogs.understanding.read(told, set: set).evidence.filter({ !$0.hasPrefix("~") && !$0.hasPrefix("not ") }).count >= 2 {
                    answer(told, &s, &out)
                    return
                }
            }
            for t in node.say { out.append(.say(dialogs.words.render(t.text, slots: s.slots))) }
            if node.resources { out += helpLines(for: s.slots["crisis"].flatMap(CrisisCategory.init(rawValue:)), s) }
            s.points.append(contentsOf: node.points.filter { !s.points.contains($0) })
            if let script = node.script {
                let given = give(script, node: node, frame: frame, s)
                s.given.append(given)
                out.append(.script(given))
            }
            switch node.action {
            case let .next(t):
                frame = Frame(flow: t.flow ?? frame.flow, node: t.node)
                continue
            case let .call(flowId, _):
                guard let flow = dialogs.flows[flowId] else { s.ended = true; out.append(.ended); return }
                let callee = Frame(flow: flow.id, node: flow.start)
                s.stack.append(callee)
                frame = callee
                continue
            case .back:
                s.stack.removeLast()
                // Back from a pause that stood in for a repair step (after abuse): nothing is under it, so the
                // conversation goes on at the role flow's `topics` menu instead of ending.
                if s.stack.isEmpty, frame.flow == "safety", let role = s.role, let flow = dialogs.flow(for: role), flow.node("topics") != nil {
                    let topics = Frame(flow: flow.id, node: "topics")
                    s.stack.append(topics)
                    frame = topics
                    continue
                }
                guard let caller = s.stack.last, let callerNode = dialogs.node(caller) else {
                    s.ended = true
                    out.append(.ended)
                    return
                }
                if case let .call(_, then) = callerNode.action {
                    if let then {
                        frame = Frame(flow: then.flow ?? caller.flow, node: then.node)
                        continue
                    }
                    s.ended = true
                    out.append(.ended)
                    return
                }
                // An interruption returns to the question it interrupted, asked again.
                frame = caller
                continue
            case .end:
                s.ended = true
                s.stack = [frame]
                out.append(.ended)
                return
            case let .choices(choices, _):
                out.append(.choices(choiceTexts(choices, s)))
                return
            case .ask, .checkApology:
                return
            }
        }
        out.append(.ended)
        s.ended = true
    }

    /// A question's choices as the user sees them, in their words for this conversation.
    func choiceTexts(_ choices: [Choice], _ s: State) -> [String] {
        choices.map { dialogs.words.render($0.text.text, slots: s.slots) }
    }

    func give(_ script: ScriptTemplate, node: Node, frame: Frame, _ s: State) -> GivenScript {
        var hash: UInt64 = s.seed ^ 0xcbf29ce484222325
        for b in (frame.flow + "/" + frame.node).utf8 { hash = (hash ^ UInt64(b)) &* 0x100000001b3 }
        let variant = script.variants[Int(hash % UInt64(script.variants.count))]
        return GivenScript(topic: script.topic, text: dialogs.words.render(variant.text, slots: s.slots),
                           when: dialogs.words.render(script.when.text, slots: s.slots), node: node.id, points: node.points)
    }

    func render(_ key: String, _ s: State) -> String {
        let text = messages.text(key, variant: s.turn)
        guard text.contains("{so-far") else { return dialogs.words.render(text, slots: s.slots) }
        var slots = s.slots
        // `{so-far}`: what has been understood already, each part of messages.yaml's `so-far` that can be filled.
        // Each part is rendered alone, which capitalises it; inside the sentence it starts lower case again.
        let parts = (messages.texts["so-far"] ?? []).map { dialogs.words.render($0, slots: s.slots) }.filter { !$0.isEmpty }
            .map { part in
                let chars = Array(part)
                let lower = chars.count > 1 && (chars[1].isLowercase || (chars[1] == " " && chars[0] != "I"))
                return lower ? part.prefix(1).lowercased() + part.dropFirst() : part
            }
        if !parts.isEmpty { slots["so-far"] = parts.joined(separator: ", ") }
        return dialogs.words.render(text, slots: slots)
    }
}
