// Whole turns typed in plain words with the shipped flows: names, lines that already told what happened.
import Testing
@testable import MendCore

@Suite struct FreeTextFlow {
    func start(_ role: Role? = nil) -> Conversation {
        var c = Conversation(engine: Engine(dialogs: shippedDialogs), seed: 3, region: "GB")
        _ = c.begin(role: role)
        return c
    }

    func said(_ turn: Turn) -> String {
        turn.outputs.compactMap { if case let .say(t) = $0 { return t } else { return nil } }.joined(separator: "\n")
    }

    @Test func aNameIsTakenOutOfASentenceAndCapitalised() {
        for (typed, name) in [("his name is Tom", "Tom"), ("tom", "Tom"), ("Tom, my husband", "Tom"), ("her names priya", "Priya")] {
            var c = start(.hurting)
            _ = c.handle(typed)
            #expect(c.state.slots["name"] == name, "\(typed)")
        }
        for typed in ["my husband", "he's the man i married ten years ago"] {
            var c = start(.hurting)
            _ = c.handle(typed)
            #expect(c.state.slots["name"] == nil, "\(typed)")
        }
    }

    @Test func aFeelingOrWhatHappenedTypedAtTheNameQuestionIsKept() {
        var c = start(.hurt)
        var turn = c.handle("im just so angry")
        #expect(c.state.slots["name"] == nil)
        #expect(c.state.slots["feeling"] == "angry")
        #expect(!said(turn).contains("How are you feeling about it"))
        turn = c.handle("he lied about the money")
        #expect(said(turn).contains("you feel angry"), "\(said(turn))")
        var d = start(.hurt)
        turn = d.handle("my husband cheated on me")
        #expect(d.state.slots["breach"] == "infidelity")
        #expect(said(turn).contains("an affair"), "\(said(turn))")
    }

    @Test func whatTheFirstLineToldIsNotAskedForAgain() {
        var c = start()
        _ = c.handle("i'm the one who messed up. i lied to my husband about how much i spent on my credit card")
        #expect(c.state.role == .hurting)
        let turn = c.handle("his name is Tom")
        // Not "What did you do?" again: that line is read as the answer, kind and all (a lie about money).
        #expect(!said(turn).contains("What did you do?"))
        #expect(c.state.slots["breach"] == "lie")
    }

    @Test func askingAgainSaysWhatIsUnderstoodSoFar() {
        var c = start(.hurting)
        _ = c.handle("Tom")
        // The kind is unclear, the relationship is not: the question says what it already has.
        let turn = c.handle("i did something really stupid to my husband")
        #expect(said(turn).contains("So far I have: your partner."), "\(said(turn))")
        #expect(turn.outputs.contains { if case let .choices(c) = $0 { return c.contains("A lie") } else { return false } })
    }

    @Test func aFirstLineThatSaysNeitherRoleGetsOnePlainQuestion() {
        var c = start()
        let turn = c.handle("my wife and i are really struggling right now")
        #expect(said(turn).contains("who did the thing that broke the trust?"))
    }

    @Test func aFeelingTypedWhereTheActIsAskedIsHeardThenTheActAskedForOnce() {
        var c = start(.hurting)
        _ = c.handle("Jordan")
        _ = c.handle("i told everyone at work about her miscarriage after she asked me to keep it private")
        _ = c.handle("yeah")
        var turn = c.handle("i feel so ashamed")
        #expect(said(turn).contains("what did you do?"))
        #expect(c.state.slots["act"] == nil)
        // The feeling is kept, so "How are you feeling?" is not asked later.
        #expect(c.state.slots["feeling"] == "guilty")
        turn = c.handle("I told people about your miscarriage when you asked me to keep it private")
        #expect(c.state.slots["act"] == "I told people about your miscarriage when you asked me to keep it private")
        #expect(turn.outputs.contains { if case let .script(g) = $0 { return g.text.contains("I told people about your miscarriage") } else { return false } })
    }

    @Test func twoFeelingsTypedWhereTheActIsAskedAreNotTakenAsTheAct() {
        var c = start(.hurting)
        _ = c.handle("Jordan")
        _ = c.handle("i told everyone at work about her miscarriage after she asked me to keep it private")
        _ = c.handle("yeah")
        let turn = c.handle("ashamed and scared")
        #expect(said(turn).contains("what did you do?"), "\(said(turn))")
        #expect(c.state.slots["act"] == nil)
    }

    @Test func whatTheyDidTypedAtTheSecondTryIsNotTheAct() {
        var c = start(.hurting)
        _ = c.handle("callum")
        _ = c.handle("i told my mate i couldnt come to his birthday cos i was ill but actually i just went out with other people")
        _ = c.handle("yeah thats it")
        _ = c.handle("idk. kind of embarassed tbh")
        _ = c.handle("he's not really talking to me, its been like a week")
        #expect(c.state.slots["act"] == nil, "\(c.state.slots)")
        #expect(!c.state.given.contains { $0.text.contains("not really talking to me") })
    }

    @Test func notKnowingTwiceIsNotPutOnTheUser() {
        var c = start()
        var all = ""
        for line in ["idk", "idk", "idk tbh"] { all += said(c.handle(line)) + "\n" }
        #expect(!all.contains("your own part, because"), "\(all)")
        #expect(all.contains("it doesn't have to be clear yet"), "\(all)")
        #expect(c.state.slots["role"] == "hurt")
    }

    @Test func askingWhetherItIsAPersonIsAnswered() {
        var c = start()
        let turn = c.handle("hey. are you a real person or a bot?")
        #expect(said(turn).contains("I'm a program running only on this computer"), "\(said(turn))")
        // The question stands: no role was taken from it.
        #expect(c.state.slots["role"] == nil)
        #expect(turn.outputs.contains { if case let .choices(c) = $0 { return c.contains("Someone broke my trust") } else { return false } })
    }
}
