// Picking a numbered choice from free text, with the shipped dialogs: replies, `means`, and asking again.
import Foundation
import Testing
@testable import MendCore

/// The shipped dialogs, loaded once.
let shippedDialogs: Dialogs = {
    guard let dialogs = DialogLoader.load(directory: realDialogs, cache: testCache).dialogs else { fatalError("the shipped dialogs do not load") }
    return dialogs
}()

/// What a line picks among a node's choices in the shipped flows, by the choice's text (nil: asks again).
func picked(_ line: String, flow: String, node: String) -> String? {
    guard case let .choices(choices, _)? = shippedDialogs.flows[flow]?.node(node)?.action else { return nil }
    let options = choices.map { ChoiceOption(means: [$0.text.text] + $0.means, replies: shippedDialogs.replies.phrases(for: $0.text.text, understanding: shippedDialogs.understanding)) }
    return shippedDialogs.understanding.choose(line, options: options).map { choices[$0.index].text.text }
}

@Suite struct ChoiceReadingTests {
    @Test func everydayRepliesPickGoOnSomethingElseOrStop() {
        #expect(picked("ok", flow: "hurt", node: "care") == "Go on")
        #expect(picked("ya sure", flow: "hurt", node: "care") == "Go on")
        #expect(picked("tell me more", flow: "hurt", node: "care") == "Go on")
        #expect(picked("what else is there", flow: "hurt", node: "care") == "Something else")
        #expect(picked("done for today thanks", flow: "hurt", node: "care") == "Stop here for now")
        #expect(picked("gotta go", flow: "hurt", node: "care") == "Stop here for now")
    }

    @Test func tellingIsNotChoosing() {
        // One word inside a longer line is part of telling: ask again rather than stop the conversation.
        #expect(picked("he's done this before and i always forgive him", flow: "hurt", node: "care") == nil)
        #expect(picked("i dont want to stop", flow: "hurt", node: "care") == nil)
        #expect(picked("no", flow: "hurt", node: "care") == nil)
    }

    @Test func topicsAreReadByMeaning() {
        #expect(picked("i keep checking his phone and i hate that i do it", flow: "hurt", node: "topics") == "When doubt or old fights come back")
        #expect(picked("how do i forgive him", flow: "hurt", node: "topics") == "How long this takes, and forgiveness")
        #expect(picked("should i just leave", flow: "hurt", node: "topics") == "Getting help, or whether to stay")
        #expect(picked("i cant sleep", flow: "hurt", node: "topics") == "Looking after myself")
        #expect(picked("stop", flow: "hurt", node: "topics") == "Stop here for now")
        #expect(picked("how do i say sorry properly", flow: "hurting", node: "topics") == "Saying sorry, or checking my own apology")
        #expect(picked("i dont get why i did it", flow: "hurting", node: "topics") == "Understanding why, and getting help")
    }

    @Test func safetyChoicesInPlainWords() {
        #expect(picked("i want to talk about how i feel", flow: "safety", node: "abuse-choose") == "Talk about how I'm feeling")
        #expect(picked("go back please", flow: "safety", node: "abuse-choose") == "Go back to where we were")
        #expect(picked("thats all for now", flow: "safety", node: "heard") == "Stop for now")
        #expect(picked("can i see the numbers again", flow: "safety", node: "heard") == "Show the help lines again")
    }

    @Test func regionsByPlaceName() {
        #expect(picked("im in scotland", flow: "safety", node: "pick-region") == "United Kingdom")
        #expect(picked("northern ireland", flow: "safety", node: "pick-region") == "United Kingdom")
        #expect(picked("ireland", flow: "safety", node: "pick-region") == "Somewhere else in the European Union")
        #expect(picked("im in germany", flow: "safety", node: "pick-region") == "Germany")
        #expect(picked("usa", flow: "safety", node: "pick-region") == "United States")
        #expect(picked("id rather not say", flow: "safety", node: "pick-region") == "Somewhere else, or I'd rather not say")
    }

    @Test func aReplyForTwoChoicesOfOneQuestionIsAnError() throws {
        let dir = try fixtureDialogs()
        try "Go on: [next]\nStop here for now: [next]\n".write(toFile: dir + "/replies.yaml", atomically: true, encoding: .utf8)
        let flow = """
        flow: hurt
        role: hurt
        start: a
        nodes:
          a:
            say: Hello.
            choices:
              - text: Go on
                go: b
              - text: Stop here for now
                go: b
          b:
            end: true
        """
        try flow.write(toFile: dir + "/flows/hurt.yaml", atomically: true, encoding: .utf8)
        let errors = DialogLoader.load(directory: dir, cache: testCache).errors.map(\.description)
        #expect(errors.contains { $0.contains("hurt.yaml:11:") && $0.contains("'next' means both 'Go on' and 'Stop here for now'") }, "\(errors)")
    }
}

@Suite struct SafetyQuestionReplies {
    /// A conversation with the shipped dialogs, up to the calm question about a worrying line.
    func askedAboutALine() -> Conversation {
        var c = Conversation(engine: Engine(dialogs: shippedDialogs), seed: 1, region: "GB")
        _ = c.begin(role: .hurt)
        _ = c.handle("Sam")
        let turn = c.handle("he cheated on me and honestly i dont see the point in anything anymore")
        #expect(turn.outputs.contains { if case .say(let t) = $0 { return t.contains("Can I ask you something plainly") } else { return false } })
        return c
    }

    @Test func anUnclearAnswerToTheCalmQuestionShowsTheHelpLinesInsteadOfAskingAgain() {
        var c = askedAboutALine()
        let turn = c.handle("yeah kind of")
        let lines = turn.outputs.compactMap { if case let .helpLines(l, _) = $0 { return l } else { return nil } }.flatMap { $0 }
        #expect(lines.contains { $0.name == "Samaritans" })
        #expect(!turn.outputs.contains { if case .say(let t) = $0 { return t.contains("answer with a number") } else { return false } })
    }

    @Test func aClearNoGoesBackToTheConversation() {
        var c = askedAboutALine()
        let turn = c.handle("no not like that, i just feel flat")
        #expect(!turn.outputs.contains { if case .helpLines = $0 { return true } else { return false } })
        #expect(c.state.current?.flow == "hurt")
    }

    @Test func afterThePauseTheInterruptedQuestionIsNotAskedAgainWhenTheLineAnsweredIt() {
        var c = Conversation(engine: Engine(dialogs: shippedDialogs), seed: 1, region: "AU")
        _ = c.begin(role: .hurting)
        _ = c.handle("Amy")
        let crisis = c.handle("i cheated on her and honestly everyone would be better off without me")
        #expect(crisis.outputs.contains { if case .crisis = $0 { return true } else { return false } })
        let back = c.handle("keep going where we were")
        let said = back.outputs.compactMap { if case let .say(t) = $0 { return t } else { return nil } }.joined(separator: "\n")
        #expect(said.contains("Let me check I have it right: an affair."), "\(said)")
        #expect(!said.contains("What did you do?"))
    }
}

@Suite struct SecondMissGoesOn {
    func says(_ turn: Turn, _ text: String) -> Bool { saidIn(turn).contains(text) }

    @Test func aQuestionAskedTwiceWithoutAReadableAnswerMovesOnInsteadOfAskingAThirdTime() {
        var c = shippedConversation(.hurting)
        _ = c.handle("Sam")
        _ = c.handle("I lied to my wife about money")
        _ = c.handle("yes")
        _ = c.handle("skip")
        _ = c.handle("1")
        _ = c.handle("ashamed")
        // "And where are things between you now?": every choice leads to the same place, so two unreadable
        // replies go there with the stage left unknown.
        let first = c.handle("purple")
        #expect(says(first, "answer with a number"))
        let second = c.handle("purple")
        #expect(says(second, "go on for now"))
        #expect(!second.outputs.contains { if case .choices(let cs) = $0 { return cs.contains("We keep going round in circles") } else { return false } })
        #expect(c.state.slots["stage"] == nil)
    }

    @Test func theCheckFallsBackToTheListOnceThenGoesOn() {
        var c = shippedConversation(.hurt)
        _ = c.handle("Sam")
        _ = c.handle("he lied to me about money")
        _ = c.handle("purple")
        #expect(says(c.handle("purple"), "Which of these is closest to what happened?"))
        _ = c.handle("zzz")
        #expect(says(c.handle("zzz"), "Let me check I have it right"))
        _ = c.handle("zzz")
        #expect(says(c.handle("zzz"), "Who is Sam to you?"))
    }

    @Test func twoFeelingsNamedTogetherAreOfferedFirst() {
        var c = shippedConversation(.hurt)
        _ = c.handle("my husband lied to me")
        _ = c.handle("Tom")
        _ = c.handle("yes")
        let turn = c.handle("confused and angry")
        #expect(Array(choicesIn(turn).prefix(2)).sorted() == ["Angry", "Confused"])
        #expect(choicesIn(turn).count == 7)
        _ = c.handle("2")
        #expect(c.state.slots["feeling"] == choicesIn(turn)[1].lowercased())
    }

    @Test func theUnsureRoleQuestionFallsBackToABitOfBoth() {
        var c = shippedConversation(nil)
        _ = c.handle("not sure")
        _ = c.handle("purple")
        let turn = c.handle("purple")
        #expect(says(turn, "your own part"))
    }
}

@Suite struct NameQuestion {
    func start(_ role: Role) -> Conversation { shippedConversation(role) }
    func said(_ turn: Turn) -> String { saidIn(turn) }

    @Test func puttingTheRoleRightAtTheNameQuestionSwitchesFlowsAndNoIsNotAName() {
        var c = start(.hurting)
        let turn = c.handle("no, SHE broke my trust, not me")
        #expect(c.state.role == .hurt)
        #expect(c.state.current?.flow == "hurt")
        #expect(c.state.slots["name"] == nil)
        #expect(said(turn).contains("Thank you for putting me right"))
        // A plain name still goes in, and "ok" alone is not a name.
        var d = start(.hurt)
        _ = d.handle("ok")
        #expect(d.state.slots["name"] == nil)
        var e = start(.hurt)
        _ = e.handle("priya")
        #expect(e.state.slots["name"] == "Priya")
    }

}

@Suite struct PuttingItRight {
    func start(_ role: Role) -> Conversation { shippedConversation(role) }
    func said(_ turn: Turn) -> String { saidIn(turn) }

    @Test func someoneElsesFeelingIsNotTheUsers() {
        #expect(label("she shut me out while she was depressed", "feeling") == nil)
        #expect(label("i know she was depressed but i feel so angry", "feeling") == "angry")
        #expect(label("told everyone before i was ready", "feeling") == nil)
    }

    @Test func aFeelingPutRightAtAChoiceIsTakenAndSaidBack() {
        var c = start(.hurt)
        _ = c.handle("Dan")
        _ = c.handle("my best mate told everyone at uni that im gay and im so angry")
        _ = c.handle("1")
        _ = c.handle("1")
        let turn = c.handle("no im not angry, im gutted")
        #expect(c.state.slots["feeling"] == "sad")
        #expect(said(turn).contains("Thank you for telling me. It sounds like a lot of sadness."))
    }

    @Test func theActQuestionWantsTheUsersOwnDoingNotWhatSomeoneElseDid() {
        var c = start(.hurting)
        _ = c.handle("Lily")
        _ = c.handle("i read my daughters diary and now she wont talk to me")
        _ = c.handle("1")
        let other = c.handle("she found out 3 days ago")
        #expect(said(other).contains("something you did"))
        #expect(c.state.slots["act"] == nil)
        let own = c.handle("I read your diary without asking")
        let scripts = own.outputs.compactMap { if case let .script(s) = $0 { return s.text } else { return nil } }
        #expect(scripts.contains { $0.contains("I read your diary without asking") })
        #expect(!scripts.contains { $0.contains("found out") })
    }

    @Test func notQuiteKeepsWhatTheSameLineSaysPlainly() {
        var c = start(.hurt)
        _ = c.handle("Sam")
        _ = c.handle("she lied to me about the money and im so sad")
        _ = c.handle("no. im confused, not sad")
        #expect(c.state.slots["feeling"] == "confused")
    }
}
