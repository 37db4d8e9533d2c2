// Crisis detection, the help-line table and routing by category, against the real dialogs folder.
import Foundation
import Testing
@testable import MendCore

private func loadDialogs() throws -> Dialogs {
    let result = DialogLoader.load(directory: realDialogs, cache: testCache)
    #expect(result.errors.isEmpty, "\(result.errors.map(\.description))")
    return try #require(result.dialogs)
}

@Suite struct CrisisDetection {
    let safety: Safety
    init() throws { safety = try loadDialogs().safety }

    @Test(arguments: [
        ("I don't see the point anymore", CrisisCategory.selfHarm),
        ("they'd all be fine if I just disappeared", .selfHarm),
        ("I've been saving up my pills", .selfHarm),
        ("i wnat to kil myslef", .selfHarm),
        ("he reads all my messages and I'm not allowed to visit my family", .abuse),
        ("she said she'll hurt me if I leave", .abuse),
        ("my boyfriend pressures me into sex", .abuse),
        ("he takes my paycheck and gives me an allowance", .abuse),
        ("my stepdad beats my little brother", .abuse),
        ("I'm going to make him bleed for this", .harmOthers),
        ("IM GONNA STAB THE GUY SHE SLEPT WITH", .harmOthers),
        ("shes gonna regret it when shes in hospital", .harmOthers),
        ("ive already smashed his windscreen, hes next", .harmOthers),
        ("i drove home at 100 and honestly didnt care if i hit the wall", .selfHarm),
        ("shes lucky i didnt stab her when i found out", .harmOthers),
        ("he says if i loved him id sleep with him and he wont stop until i give in", .abuse),
        ("i cheated on my boyfriend and when he confronted me i panicked and slapped him", .harmOthers),
        ("sometimes i cut when it gets like this", .selfHarm),
    ])
    func catchesCrisisLanguage(_ line: String, _ category: CrisisCategory) {
        #expect(safety.check(line)?.category == category, "\(line)")
    }

    @Test(arguments: [
        "my mom will kill me when she finds out", "I'm dead on my feet", "I could murder a pizza", "this is killing me",
        "my back is killing me", "I'm dying to know", "he stabbed me in the back", "it hit me hard when I found out",
        "I pushed him away for months", "she beat me at cards",
    ])
    func letsIdiomsPass(_ line: String) {
        #expect(safety.check(line) == nil, "\(line)")
    }

    @Test(arguments: [
        "I would never hurt her", "I'm not suicidal", "he has never hit me", "I didn't hit him, I just yelled",
        "my dad hit me when I was a kid", "I self harmed years ago but I'm fine now", "he lied to me for months",
        "I want to end the relationship", "i am hurt", "whats the weather like today lol",
        "he went out while i was asleep and cheated on me", "i dont care if i hit my target this month", "im lucky i didnt lose my job over this", "she wont stop texting until i reply", "i'll kill myself laughing if he turns up", "i dont want my mum to find out", "i cut my hair when i found out",
    ])
    func letsNegationsPastHurtsAndOrdinaryLinesPass(_ line: String) {
        #expect(safety.check(line) == nil, "\(line)")
    }

    @Test func aNegationOrAPastMarkerStopsAtTheNextClause() throws {
        // "never" belongs to what she said; the point in living is the user's own, now.
        #expect(safety.check("she said shed never forgive me so whats the point in living")?.category == .selfHarm)
        #expect(safety.check("i used to self harm years ago so i know how it feels to want to die now")?.category == .selfHarm)
        // Within its own clause a negation still holds.
        #expect(safety.check("i would never hurt myself because of him") == nil)
    }

    @Test func meansSaidToBeForSomeoneElseAreHarmToThem() throws {
        #expect(safety.check("im crushing some of my sleeping pills into his coffee tonight")?.category == .harmOthers)
        // Means first read as the user's own, then said to be for someone else: harm to them, not self-harm.
        #expect(safety.check("ive saved up my meds. theyre going in his tea, not mine")?.category == .harmOthers)
        #expect(safety.check("im saving my pills up but not for me, for her")?.category == .harmOthers)
        #expect(safety.check("ive been saving my pills")?.category == .selfHarm)
        // Never alone, and never over the user's own death.
        #expect(safety.check("I stayed in the marriage for them, not for me") == nil)
        #expect(safety.check("im going to kill myself, its for them not for me, theyd be better off")?.category == .selfHarm)
        #expect(safety.check("the pills arent for me. lets leave it there")?.category == .harmOthers)
        // "prison" is a word of its own, never mended to "poison"; the knife said to be for the user is self-harm.
        #expect(safety.check("the knife is for me. hes not worth prison")?.category == .selfHarm)
        #expect(safety.check("he should be in prison for what he did") == nil)
    }

    @Test func ambiguousLinesAskInsteadOfInterrupting() throws {
        let reading = try #require(safety.check("i cant do this anymore"))
        #expect(reading.category == .selfHarm)
        #expect(!reading.certain)
        #expect(safety.check("I want to kill myself")?.certain == true)
    }

    @Test func aFragmentOpeningWithWithFinishesTheSentenceBefore() throws {
        for line in ["honestly im done. with him, with everything", "i'm done. with everything.", "im done with work, with people, with everything"] {
            let reading = try #require(safety.check(line), "\(line)")
            #expect(reading.category == .selfHarm && !reading.certain, "\(line)")
        }
        #expect(safety.check("done with her. with everything she did") == nil)
        #expect(safety.check("im done with this job and with everything about it") == nil)
    }

    @Test(arguments: [
        ("i took a load of paracetamol about an hour ago", CrisisCategory.selfHarm, true),
        ("stood on the edge of the platform today and thought about it", .selfHarm, true),
        ("my family would be better off with the life insurance", .selfHarm, true),
        ("im not going to be around much longer", .selfHarm, false),
        ("gonna off myself lol", .selfHarm, false),
        ("i might top myself", .selfHarm, true),
        ("the train line is at the bottom of my garden and i keep thinking about it", .selfHarm, false),
        ("i'm going to put something in his drink", .harmOthers, true),
        ("keep imagining strangling her", .harmOthers, true),
        ("he wont see it coming", .harmOthers, false),
        ("my step dad touches me and says its our secret", .abuse, true),
        ("he installed an app on my phone so he can see everything i do", .abuse, true),
        ("she threatened to tell my work lies about me unless i stay", .abuse, true),
        ("my husband takes my phone away", .abuse, false),
    ])
    func theRecallNetCatchesNewWording(_ line: String, _ category: CrisisCategory, _ certain: Bool) throws {
        let reading = try #require(safety.check(line), "\(line)")
        #expect(reading.category == category, "\(line)")
        #expect(reading.certain == certain, "\(line)")
    }

    @Test(arguments: [
        "i took some paracetamol for the headache from crying", "i want to disappear for the weekend and switch my phone off",
        "i'm going to make him pay for the divorce lawyer lol", "i could kill him for reading my diary",
        "not allowed to talk about it at work because of the hr investigation", "the betrayal cuts deep",
        "i'm ending it with him, i've had enough of the lies", "i'm going to sort this out with her face to face",
    ])
    func theRecallNetLeavesOrdinaryLinesAlone(_ line: String) {
        #expect(safety.check(line) == nil, "\(line)")
    }

    /// A hurt that is over: a year gone by, an age looked back from, a clause that looks back ("that was twenty years ago"),
    /// recovery told after it. What is happening now still counts: "again", "its back", "last night", "ready now".
    @Test func aPastThatIsOverPassesAndAPresentOneStillCounts() throws {
        for line in ["i self harmed as a teenager, that was twenty years ago", "i shoved him once in 2016 and i still feel awful about it",
                     "he pushed me once, years back, and we went to counselling. he hasnt since",
                     "i was in a dark place in my early twenties, i got help and it passed"] {
            #expect(safety.check(line) == nil, "\(line)")
        }
        for line in ["i tried to kill myself 2 years ago and im thinking about it again", "i overdosed in 2019 and i have the pills ready now",
                     "back in 2012 i took an overdose and last night i nearly did it again", "i was suicidal in my teens and its back, worse than ever"] {
            let reading = try #require(safety.check(line), "\(line)")
            #expect(reading.category == .selfHarm && reading.certain, "\(line)")
        }
        let started = try #require(safety.check("i used to cut and ive started again"))
        #expect(started.category == .selfHarm)
        // Looking back is no comfort when it never stopped; "since" a year is ongoing, not over.
        #expect(safety.check("he first hit me 10 years ago, that was years ago and it has never stopped")?.category == .abuse)
        #expect(safety.check("ive wanted to die since 2015 and it never stops")?.category == .selfHarm)
    }

    @Test(arguments: [
        "no thoughts of hurting myself, just tired", "im not going to drive over there and punch him, i promise",
        "my laptop is dying, im going to kill it", "this cheesecake is to die for", "i nearly died of embarrassment at the party",
        "my brother will kill me if i tell mum about his girlfriend first", "my dad is going to kill me for scratching the car",
        "i could throttle my sister sometimes", "by 9pm im half dead after the kids",
        "i want to ruin her reputation at the school gates", "im going to take her for every penny in the divorce",
    ])
    func negationsIdiomsAndRevengeByCourtsPass(_ line: String) {
        #expect(safety.check(line) == nil, "\(line)")
    }

    @Test func aPartnersThreatIsStillAbuse() throws {
        let reading = try #require(safety.check("he will kill me if i leave him"))
        #expect(reading.category == .abuse)
        // A sibling's "kill me" passes only over a secret told first, not over what he does.
        #expect(safety.check("my brother will kill me if i tell mum what he does to me at night")?.category == .abuse)
    }

    @Test(arguments: [
        ("thinking about ctb tonight", CrisisCategory.selfHarm, true),
        ("sent my goodbye message to my sister and switched everything off", .selfHarm, true),
        ("if he walks out on me im ending it all", .selfHarm, true),
        ("the rope is in the garage. i just need to go somewhere quiet", .selfHarm, true),
        ("sorting my paperwork out so nobody else has to deal with it", .selfHarm, false),
        ("she wont live long enough to enjoy the inheritance", .harmOthers, true),
        ("looking for a poison that doesnt show up on a tox screen", .harmOthers, true),
        ("ive thought about ramming my car into him when he leaves the pub", .harmOthers, true),
        ("how many years would i get for manslaughter, honestly it would be worth it", .harmOthers, false),
        ("i want to hurt everyone at that church who covered for him", .harmOthers, false),
        ("its only a shove now and then, he doesnt mean it", .abuse, true),
        ("he makes holes in the condoms so i get pregnant", .abuse, true),
        ("he cancelled my coil appointment without asking", .abuse, true),
        ("my ex slipped an airtag into my sons school bag and uses it to find me", .abuse, true),
        ("she says its her family or me and ive stopped seeing mine", .abuse, true),
        ("he says im better off with only him and i shouldnt need anyone else", .abuse, true),
        ("someone left a dead cat on my doorstep and a note saying youre next", .abuse, true),
        ("hes been in my house while i was at work, the drawers were moved", .abuse, true),
        ("my husband keeps saying accidents happen when im near the stairs", .abuse, true),
        ("my ex isnt feeding the kids when theyre at his", .abuse, true),
        ("i wake up with him on top of me and i never said yes", .abuse, true),
    ])
    func indirectCrisesAreCaught(_ line: String, _ category: CrisisCategory, _ certain: Bool) throws {
        let reading = try #require(safety.check(line), "\(line)")
        #expect(reading.category == category, "\(line)")
        #expect(reading.certain == certain, "\(line)")
    }

    @Test func aNegationThatIsUndoneStillCounts() {
        #expect(safety.check("I can't promise I won't hurt myself")?.category == .selfHarm)
    }

    /// "no longer" ends a past only for what stopped; "I no longer wish to live" is a present wish.
    @Test func noLongerWishingToLiveIsNotAPastThatIsOver() {
        let wish = safety.check("I no longer wish to live, the children are grown")
        #expect(wish?.category == .selfHarm)
        #expect(wish?.certain == true)
        #expect(safety.check("i no longer cut, it's been two years now") == nil)
    }

    /// Arranging who gets one's things is a warning sign; "who gets" alone is everyday talk.
    @Test func whoGetsWhatIsAskedAboutOnlyForOnesOwnThings() {
        #expect(safety.check("ive sorted out who gets my dog when im gone")?.category == .selfHarm)
        #expect(safety.check("im so tired of being the one who gets let down") == nil)
        #expect(safety.check("who gets the house in the divorce is still not decided") == nil)
    }

    @Test func violenceTheUserDidIsHarmToOthersByTheUser() throws {
        for line in ["I hit her", "I pushed him during the fight"] {
            let reading = try #require(safety.check(line))
            #expect(reading.category == .harmOthers)
            #expect(reading.violenceByUser)
        }
        #expect(safety.check("he hit me")?.violenceByUser == false)
    }

    @Test func noticesAMinor() {
        #expect(safety.isMinor("I'm 15"))
        #expect(safety.isMinor("im in year 10 and my bf cheated"))
        #expect(safety.isMinor("I'm only 16"))
        #expect(!safety.isMinor("I'm 35 and my husband lied"))
    }
}

@Suite struct HelpLineChoice {
    let safety: Safety
    init() throws { safety = try loadDialogs().safety }

    @Test func aRegionPicksItsOwnLines() {
        let (lines, fallback) = safety.lines(region: "GB", category: .selfHarm, minor: false, usesViolence: false)
        #expect(!fallback)
        #expect(lines.allSatisfy { $0.region == "GB" })
        #expect(lines.contains { $0.name == "Samaritans" && $0.contact.contains("116 123") })
        #expect(lines.last?.contact.contains("999") == true)
        #expect(!lines.contains { $0.name == "Childline" })
    }

    @Test func noRegionShowsOnlyTheInternationalFallback() {
        for region in [nil, "ZZ", "BR"] as [String?] {
            let (lines, fallback) = safety.lines(region: region, category: .abuse, minor: false, usesViolence: false)
            #expect(fallback)
            #expect(!lines.isEmpty)
            #expect(lines.allSatisfy { $0.region == "INTL" })
            #expect(lines.contains { $0.contact.contains("findahelpline.com") })
        }
    }

    @Test func neverAUSNumberOutsideTheUS() {
        for region in ["GB", "CA", "AU", "FR", "DE"] {
            let (lines, _) = safety.lines(region: region, category: .abuse, minor: false, usesViolence: false)
            #expect(!lines.contains { $0.region == "US" }, "\(region)")
        }
        let (france, fallback) = safety.lines(region: "FR", category: .selfHarm, minor: false, usesViolence: false)
        #expect(!fallback)
        #expect(france.contains { $0.contact.contains("112") })
        #expect(france.contains { $0.region == "INTL" })
    }

    @Test func germanyHasItsOwnLinesBesideTheEuropeanNumber() {
        let (abuse, fallback) = safety.lines(region: "DE", category: .abuse, minor: false, usesViolence: false)
        #expect(!fallback)
        #expect(abuse.contains { $0.name == "Hilfetelefon Gewalt gegen Frauen" && $0.contact.contains("116 016") })
        #expect(abuse.contains { $0.contact.contains("112") })
        let (selfHarm, _) = safety.lines(region: "DE", category: .selfHarm, minor: false, usesViolence: false)
        #expect(selfHarm.first?.name == "TelefonSeelsorge")
        let (young, _) = safety.lines(region: "DE", category: .abuse, minor: true, usesViolence: false)
        #expect(young.first?.name == "Nummer gegen Kummer")
        let (france, _) = safety.lines(region: "FR", category: .abuse, minor: false, usesViolence: false)
        #expect(!france.contains { $0.region == "DE" })
    }

    @Test func someoneInAustraliaWhoUsedViolenceIsShownALineForIt() {
        let (lines, _) = safety.lines(region: "AU", category: .harmOthers, minor: false, usesViolence: true)
        #expect(lines.contains { $0.name == "MensLine Australia" })
    }

    @Test func aMinorGetsChildAndYouthLinesFirst() {
        let (gb, _) = safety.lines(region: "GB", category: .abuse, minor: true, usesViolence: false)
        #expect(gb.first?.name == "Childline")
        let (au, _) = safety.lines(region: "AU", category: .selfHarm, minor: true, usesViolence: false)
        #expect(au.first?.name == "Kids Helpline")
        let (ca, _) = safety.lines(region: "CA", category: .selfHarm, minor: true, usesViolence: false)
        #expect(ca.first?.name == "Kids Help Phone")
    }

    @Test func someoneWhoUsedViolenceGetsLinesForThem() {
        let (lines, _) = safety.lines(region: "GB", category: .harmOthers, minor: false, usesViolence: true)
        #expect(lines.allSatisfy { $0.violence || $0.categories.contains("emergency") })
        #expect(!lines.contains { $0.name == "National Domestic Abuse Helpline" })
    }

    @Test func theTableHasEveryRequiredService() {
        let expected = ["988", "1-800-799-7233", "88788", "741741", "911", "116 123", "0808 2000 247", "0808 801 0327",
                        "85258", "0800 1111", "999", "1-800-668-6868", "13 11 14", "1800 737 732", "1800 55 1800", "000", "112"]
        let all = safety.helpLines.map(\.contact).joined(separator: " | ")
        for number in expected { #expect(all.contains(number), "\(number)") }
        // The services were verified on 2026-11-22; those added later (DE, violence, youth) carry their own, later date.
        #expect(safety.helpLines.allSatisfy { ($0.verified == "2026-11-22" || $0.verified == "2026-11-23") && !$0.source.isEmpty && !$0.hours.isEmpty && !$0.audience.isEmpty })
        #expect(safety.helpLines.filter { $0.verified == "2026-11-23" }.map(\.name).sorted() == ["Childhelp National Child Abuse Hotline", "Hilfetelefon Gewalt gegen Frauen", "MensLine Australia", "Nummer gegen Kummer", "Respect Phoneline", "TelefonSeelsorge"])
    }

    @Test func aBrokenTableIsReportedWithPlaces() throws {
        let dir = temporaryDialogs()
        let broken = """
        lines:
          - region: XX
            name: Somewhere
            reach: phone 123
            hours: always
            for: anyone
            categories: [selfharm]
            verified: 22/11/2026
            source: nowhere
        """
        try broken.write(toFile: dir + "/safety/helplines.yaml", atomically: true, encoding: .utf8)
        let result = DialogLoader.load(directory: dir, cache: testCache)
        let messages = result.errors.map(\.description).joined(separator: "\n")
        #expect(messages.contains("helplines.yaml:2:13: error: unknown region code 'XX'"))
        #expect(messages.contains("helplines.yaml:4:12: error: 'phone 123' should start with"))
        #expect(messages.contains("helplines.yaml:7:18: error: unknown category 'selfharm' (did you mean 'self-harm'?)"))
        #expect(messages.contains("helplines.yaml:8:15: error: verified should be the date"))
        #expect(messages.contains("needs at least one line with region INTL"))
    }
}

@Suite struct CrisisData {
    @Test func aBrokenPatternIsReportedWithItsPlace() throws {
        let dir = temporaryDialogs()
        let path = dir + "/safety/crisis.yaml"
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: "    - kill* myself\n", with: "    - kill* {myslf}\n")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let line = text.components(separatedBy: "\n").firstIndex { $0.contains("{myslf}") }.map { $0 + 1 } ?? 0
        let errors = DialogLoader.load(directory: dir, cache: testCache).errors.map(\.description)
        #expect(errors.contains { $0.contains("crisis.yaml:\(line):7: error: no slot called {myslf}") }, "\(errors)")
    }
}

/// A copy of the real dialogs folder to break on purpose.
func temporaryDialogs() -> String {
    let dir = NSTemporaryDirectory() + "mend-dialogs-\(UUID().uuidString)"
    try? FileManager.default.copyItem(atPath: realDialogs, toPath: dir)
    return dir
}

@Suite struct SafetyRouting {
    let engine: Engine
    init() throws { engine = Engine(dialogs: try loadDialogs()) }

    func run(_ lines: [String], role: Role? = .hurt, region: String? = "GB") -> (State, [Output]) {
        var state = State(seed: 1)
        state.slots["region"] = region
        var all: [Output] = []
        var (s, out) = engine.step(state, .begin(role: role))
        all += out
        for line in lines {
            (s, out) = engine.step(s, .input(line))
            all += out
        }
        state = s
        return (state, all)
    }

    func said(_ outputs: [Output]) -> String {
        outputs.compactMap { if case let .say(t) = $0 { t } else { nil } }.joined(separator: "\n")
    }

    @Test func aCrisisInterruptsWithTheRegionsLines() {
        let (state, out) = run(["Sam", "I've been saving up my pills"])
        #expect(out.contains { if case .crisis = $0 { true } else { false } })
        #expect(out.contains { if case let .helpLines(lines, region) = $0 { region == "GB" && lines.contains { $0.name == "Samaritans" } } else { false } })
        #expect(said(out).contains("not therapy and not an emergency service"))
        #expect(state.current?.flow == "safety")
    }

    @Test func goingOnReturnsToTheInterruptedQuestion() {
        let (before, _) = run(["Sam"])
        let question = before.current
        let (after, out) = run(["Sam", "I've been saving up my pills", "1"])
        #expect(after.current == question)
        #expect(said(out).contains("pick up where we were"))
        // Said in everyday words, not only by number.
        for words in ["go on", "ok lets carry on"] {
            let (again, typed) = run(["Sam", "I've been saving up my pills", words])
            #expect(again.current == question, "\(words)")
            #expect(said(typed).contains("pick up where we were"), "\(words)")
        }
    }

    @Test func abuseTurnsOffRepairScripts() {
        let plain = run(["Sam", "he lied to me about money", "1", "1", "angry", "1"]).1
        #expect(plain.contains { if case .script = $0 { true } else { false } })
        let (state, out) = run(["Sam", "he hits me when he's drunk", "2", "he lied to me about money", "1", "1", "angry", "1"])
        #expect(state.slots["unsafe"] == "yes")
        #expect(!out.contains { if case .script = $0 { true } else { false } })
        #expect(said(out).contains("Your safety comes first"))
        #expect(said(out).contains("trust"))
    }

    @Test func anAmbiguousLineAsksOneCalmQuestion() {
        let (state, out) = run(["Sam", "i cant do this anymore"])
        #expect(state.current?.node == "check")
        #expect(!out.contains { if case .helpLines = $0 { true } else { false } })
        let (_, more) = run(["Sam", "i cant do this anymore", "no"])
        #expect(said(more).contains("pick up where we were"))
    }

    @Test func noRegionShowsTheFallbackAndOffersAChoice() {
        let (_, out) = run(["Sam", "I want to die", "1"], region: nil)
        #expect(out.contains { if case let .helpLines(lines, nil) = $0 { lines.allSatisfy { $0.region == "INTL" } } else { false } })
        #expect(out.contains { if case let .helpLines(lines, "GB") = $0 { lines.contains { $0.name == "Samaritans" } } else { false } })
    }

    @Test func aMinorGetsYouthLines() {
        let (state, out) = run(["Sam", "I'm 15 and he said he'll hurt me if I tell anyone"])
        #expect(state.slots["minor"] == "yes")
        #expect(out.contains { if case let .helpLines(lines, _) = $0 { lines.first?.name == "Childline" } else { false } })
    }

    @Test func violenceByAHurtingUserGetsAccountabilityNotRepair() {
        let (state, out) = run(["Alex", "I pushed her during the fight"], role: .hurting)
        #expect(state.slots["violence"] == "yes")
        #expect(said(out).contains("won't offer words to smooth it over"))
        #expect(!out.contains { if case .script = $0 { true } else { false } })
    }

    @Test func goingBackDoesNotUndoWhatTheUserDisclosed() {
        var conversation = Conversation(engine: engine, seed: 1, region: "GB")
        _ = conversation.begin(role: .hurt)
        _ = conversation.handle("Sam")
        _ = conversation.handle("he hits me when he's drunk")
        _ = conversation.handle("/back")
        #expect(conversation.state.slots["unsafe"] == "yes")
        var outputs: [Output] = []
        for line in ["he lied to me about money", "1", "angry"] { outputs += conversation.handle(line).outputs }
        #expect(!outputs.contains { if case .script = $0 { true } else { false } })
    }

    @Test func aJokeMarkerTurnsAnInterruptionIntoAQuestion() throws {
        let reading = try #require(engine.dialogs.safety.check("I'm going to kill him, he ate my fries lol"))
        #expect(reading.category == .harmOthers)
        #expect(!reading.certain)
    }

    @Test func roleDescriptionsAreCheckedToo() {
        var state = State(seed: 1)
        state.slots["region"] = "US"
        let (s, _) = engine.step(state, .begin(role: nil))
        let (after, out) = engine.step(s, .switchRole("my husband chokes me"))
        #expect(after.slots["crisis"] == "abuse")
        #expect(out.contains { if case .helpLines = $0 { true } else { false } })
    }
}

@Suite struct AfterThePause {
    func conversation(_ role: Role, region: String? = "GB") -> Conversation { shippedConversation(role, region: region) }
    func said(_ turn: Turn) -> String { saidIn(turn) }
    func choices(_ turn: Turn) -> [String] { choicesIn(turn) }

    @Test func pillsAlreadyTakenGetTheEmergencyNumberNotAPause() {
        var c = conversation(.hurt)
        _ = c.handle("Sam")
        let pause = c.handle("he cheated on me and honestly i just want to die")
        #expect(choices(pause).contains("I've already taken something or hurt myself"))
        let taken = c.handle("i already took them")
        #expect(said(taken).contains("Please call for an ambulance now"))
        #expect(!said(taken).contains("There's no rush"))
    }

    @Test func anotherCrisisLineAfterThePauseAnswersWhereThePersonIsInsteadOfRepeatingTheFirstMessage() {
        var c = conversation(.hurt)
        _ = c.handle("Sam")
        _ = c.handle("he cheated on me and honestly i just want to die")
        _ = c.handle("idk")
        let turn = c.handle("i took a bunch of pills an hour ago")
        #expect(turn.outputs.contains { if case .crisis = $0 { return true } else { return false } }, "the event is still recorded")
        #expect(said(turn).contains("Please call for an ambulance now"))
        #expect(!said(turn).contains("I'd like to stop here for a moment"))
    }

    @Test func theListeningStepVariesItsWordsAndOffersTheWayBack() {
        var c = conversation(.hurt)
        _ = c.handle("Sam")
        _ = c.handle("my husband reads all my messages and im not allowed to see my friends")
        let one = c.handle("he says its because he loves me")
        let two = c.handle("i dont know anymore")
        #expect(said(one) != said(two))
        #expect(choices(two).contains("Back to what we were talking about"))
        let back = c.handle("can we go back to what we were talking about")
        #expect(said(back).contains("I'll leave out any advice about rebuilding trust"))
    }

    @Test func aChildInTheUSBeingHurtGetsTheChildLineFirstAndAPlanForTheirAge() {
        var c = conversation(.hurt, region: "US")
        let turn = c.handle("im 15 and when my dad is drunk he hits me and my little brother")
        let lines = turn.outputs.compactMap { if case let .helpLines(l, _) = $0 { return l } else { return nil } }.flatMap { $0 }
        #expect(lines.first?.name == "Childhelp National Child Abuse Hotline")
        #expect(said(turn).contains("a teacher, a school nurse"))
        #expect(!said(turn).contains("bank card"))
    }

    @Test func someoneWhoUsedViolenceInGBIsShownALineForIt() {
        var c = conversation(.hurting, region: "GB")
        let turn = c.handle("i hit her last night when she confronted me")
        let lines = turn.outputs.compactMap { if case let .helpLines(l, _) = $0 { return l } else { return nil } }.flatMap { $0 }
        #expect(lines.contains { $0.name == "Respect Phoneline" })
        #expect(!lines.contains { $0.name == "National Domestic Abuse Helpline" })
    }

    @Test func withNoRegionThePauseOffersToPickOneInsteadOfTellingToRestart() {
        var c = conversation(.hurt, region: nil)
        let turn = c.handle("i want to kill myself")
        #expect(!said(turn).contains("--region"))
        #expect(said(turn).contains("If you tell me where you are"))
    }

    @Test func afterAbuseTheWordsKeptForRebuildingTrustAreSetAsideInScripts() {
        var c = conversation(.hurting)
        _ = c.handle("Mark")
        _ = c.handle("I read his emails and then lied about it")
        _ = c.handle("1")
        _ = c.handle("I read your emails and lied about it")
        _ = c.handle("/save")
        #expect(c.handle("/scripts").outputs.contains { if case .script = $0 { return true } else { return false } })
        _ = c.handle("he hits me when he drinks and i cant leave")
        let after = c.handle("/scripts")
        #expect(!after.outputs.contains { if case .script = $0 { return true } else { return false } })
        #expect(after.outputs.contains { if case let .notice(t) = $0 { return t.contains("set aside") } else { return false } })
    }

    @Test func anOpeningLineWithAbuseInItIsNotLostAfterThePause() {
        var c = shippedConversation(nil)
        _ = c.handle("my husband cheated on me and he hits me when he drinks")
        let back = c.handle("go back to where we were")
        #expect(c.state.role == .hurt)
        #expect(saidIn(back).contains("Who broke your trust?"))
        #expect(!saidIn(back).contains("Which of these is closer"))
        #expect(c.state.slots["breach"] == "infidelity")
    }

    @Test func whenTheRoleIsLeftToTheUserWhoItIsWithIsStillKept() {
        var c = shippedConversation(nil)
        _ = c.handle("i cheated on my husband last year. but hes so controlling, he takes my paycheck and tracks my phone")
        let back = c.handle("go back to where we were")
        #expect(saidIn(back).contains("Which of these is closer"))
        #expect(c.state.slots["relationship"] == "partner")
        #expect(c.state.slots["breach"] == nil)
    }

    @Test func aCrisisLineOneWordOffAChoiceIsStillChecked() {
        var c = shippedConversation(.hurting)
        for line in ["Sam", "i lied to her about money", "yes", "I lied to you about the money", "1", "1"] { _ = c.handle(line) }
        let asked = c.handle("ashamed")
        // At "where are things now", whose last choice is "One of us is thinking of ending it".
        #expect(choicesIn(asked).contains("One of us is thinking of ending it"))
        let turn = c.handle("one of us is thinking of ending it all")
        #expect(turn.outputs.contains { if case .crisis = $0 { return true } else { return false } })
    }

    @Test func controlDescribedOutlivesBack() {
        var c = shippedConversation(.hurt)
        _ = c.handle("Mark")
        _ = c.handle("he checks my phone every night and takes my wages so i only get an allowance")
        #expect(c.state.slots["control"] != nil || c.state.slots["unsafe"] == "yes")
        let before = (c.state.slots["control"], c.state.slots["unsafe"])
        _ = c.handle("/back")
        _ = c.handle("/back")
        #expect(c.state.slots["control"] == before.0 && c.state.slots["unsafe"] == before.1)
    }

    @Test func aNewCrisisInThePauseThatPicksNoChoiceStartsThePauseAgain() {
        var c = conversation(.hurt)
        _ = c.handle("Sam")
        _ = c.handle("my husband reads all my messages and im not allowed to see my friends")
        let turn = c.handle("hes outside the door right now and he said hell hurt me if i leave")
        #expect(turn.outputs.contains { if case .helpLines = $0 { return true } else { return false } })
        #expect(!said(turn).contains("There's no rush"))
    }

    @Test func someoneWhoUsedViolenceIsNeverToldTheyAreTheOneBeingHurt() {
        var c = conversation(.hurting)
        _ = c.handle("i hit her last night when she confronted me")
        _ = c.handle("i dont know")
        let back = c.handle("can we go back to what we were talking about")
        #expect(!said(back).contains("the person hurting you"))
        #expect(said(back).contains("their safety"))
    }

    @Test func goingBackFromABlockedRepairStepGoesOnInsteadOfEnding() {
        var c = conversation(.hurt)
        _ = c.handle("Jake")
        _ = c.handle("he lied to me and he hits me when hes drunk")
        _ = c.handle("go back to where we were")
        for line in ["1", "1", "1", "1", "1"] where !c.state.ended { _ = c.handle(line) }
        #expect(!c.state.ended, "the conversation ended on a way back")
    }

    @Test func aYoungPersonWorriedAboutWhoWillFindOutHearsItOnce() {
        var c = shippedConversation(.hurt)
        _ = c.handle("im 15 and my dad hits me when hes drunk")
        let first = c.handle("i just dont want them to find out")
        #expect(saidIn(first).contains("what stays between you"))
        let again = c.handle("idk")
        #expect(!saidIn(again).contains("what stays between you"))
    }

    @Test func restartKeepsThatTheUserUsedViolence() {
        var c = conversation(.hurting)
        _ = c.handle("i hit her last night when she confronted me")
        _ = c.handle("/restart")
        #expect(c.state.slots["violence"] == "yes")
        #expect(c.state.slots["unsafe"] == "yes")
    }
}

extension SafetyRouting {
    @Test func theLearnedReaderKeepsQuietOnALineWithNoRiskWord() {
        let safety = engine.dialogs.safety
        #expect(safety.check("whats the weather like today lol") == nil)
        #expect(safety.check("a bit of both") == nil)
    }

    @Test func twoSignsOfControlInterruptAndOneAsks() throws {
        let safety = engine.dialogs.safety
        let two = try #require(safety.check("he checks my phone every night and takes my wages so i only get an allowance"))
        #expect(two.category == .abuse && two.certain)
        #expect(Set(two.control ?? []) == ["watching", "money"])
        let one = try #require(safety.check("he says i cant see my sister anymore"))
        #expect(one.category == .abuse && !one.certain && one.control == ["cutting-off"])
    }

    @Test func aThreatWithATimeOrAPlaceInterrupts() throws {
        let planned = try #require(engine.dialogs.safety.check("im going to find him tonight and smash his face in"))
        #expect(planned.category == .harmOthers && planned.certain)
        let place = try #require(engine.dialogs.safety.check("i want to smash his face, i know where he lives"))
        #expect(place.category == .harmOthers && place.certain)
    }

    @Test func justFumingAfterAThreatGetsTheLineAboutKeepingAwayOnce() {
        let (_, out) = run(["Dave", "im going to find him tonight and smash his face in, i know where he lives", "nah im just fuming"])
        #expect(said(out).contains("please don't go round there"), "\(said(out))")
        let (_, again) = run(["Dave", "im going to find him tonight and smash his face in, i know where he lives", "nah im just fuming", "yeah whatever"])
        #expect(said(again).components(separatedBy: "please don't go round there").count == 2, "\(said(again))")
    }

    @Test func aCountryTypedAtASafetyQuestionIsTakenAsTheRegion() {
        let (state, out) = run(["Nico", "i cheated on my boyfriend and i panicked and slapped him", "skip", "i'm in australia"], role: .hurting, region: nil)
        #expect(state.slots["region"] == "AU", "\(state.slots)")
        #expect(said(out).contains("Here are lines for Australia"), "\(said(out))")
        // "just us" names no country.
        let (plain, _) = run(["Nico", "i cheated on my boyfriend and i panicked and slapped him", "skip", "its just us two at home"], role: .hurting, region: nil)
        #expect(plain.slots["region"] == nil)
    }

    @Test func yesImSafeAfterControlKeepsRepairOff() {
        let (state, out) = run(["Mark", "he checks my phone every night", "yes im safe"])
        #expect(state.slots["unsafe"] == "yes")
        #expect(said(out).contains("leave out advice about rebuilding trust"))
    }

    @Test func onlyARealYesCountsAtTheCalmQuestion() {
        for reply in ["go on", "ok", "sure"] {
            let (state, out) = run(["Sam", "i just want to disappear", reply])
            #expect(state.current?.node == "check-again", "\(reply)")
            #expect(state.slots["crisis_sure"] == "no", "\(reply)")
            #expect(!said(out).contains("If you might act on these thoughts soon"), "\(reply)")
        }
        let (state, _) = run(["Sam", "i just want to disappear", "sometimes"])
        #expect(state.slots["crisis_sure"] == "yes")
    }
}
