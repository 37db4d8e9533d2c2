// Review 6, in whole conversations: what is typed at a choice is kept, corrections, scripts from the user's words, /back.
import Testing
@testable import MendCore

@Suite struct ConversationReview6Tests {
    /// Types each line, returning the last turn.
    @discardableResult
    func type(_ c: inout Conversation, _ lines: [String]) -> Turn {
        var turn = Turn()
        for line in lines { turn = c.handle(line) }
        return turn
    }

    func scripts(_ c: Conversation) -> String { c.state.given.map(\.text).joined(separator: "\n") }

    // S6: a promise at "Go on / Something else / Stop" is kept, not a stop, and is not asked for again.
    @Test func aPromiseAtGoOnIsKeptNotAStop() {
        var c = shippedConversation(nil, region: "AU")
        let turn = type(&c, ["I hid credit card debt from my wife", "Dana", "yes", "I hid the debt from you",
                             "no more secrets about money, I will show you every statement each month"])
        #expect(!c.state.ended)
        #expect(c.state.slots["promise"] == "show you every statement each month")
        #expect(saidIn(turn).contains("From now on, I will show you every statement each month"), "\(saidIn(turn))")
        #expect(choicesIn(turn) == ["Go on", "Something else", "Stop here for now"])
        // Going on never asks "What will you do differently?", and the apology carries the promise.
        var all = ""
        for line in ["go on", "guilty", "1", "go on", "go on", "go on"] { all += saidIn(c.handle(line)) + "\n" }
        #expect(!all.contains("What will you do differently"), "\(all)")
        #expect(scripts(c).contains("I will show you every statement each month"), "\(scripts(c))")
    }

    @Test func noMoreSomethingIsNoStop() {
        var c = shippedConversation(nil, region: "AU")
        type(&c, ["I hid credit card debt from my wife", "Dana", "yes", "I hid the debt from you"])
        _ = c.handle("no more secrets about money")
        #expect(!c.state.ended)
        _ = c.handle("no more")
        #expect(c.state.ended)
    }

    // S12: free text at a choice prompt is read, kept, said back and not asked for again.
    @Test func aFeelingAtTheSummaryIsKeptAndNotAskedAgain() {
        var c = shippedConversation(nil)
        let turn = type(&c, ["my husband cheated on me", "Mark", "im so angry i cant even look at him"])
        #expect(c.state.slots["feeling"] == "angry")
        #expect(saidIn(turn).contains("You sound angry"), "\(saidIn(turn))")
        #expect(!saidIn(turn).contains("answer with a number"))
        let next = c.handle("yes")
        #expect(!saidIn(next).contains("How are you feeling"), "\(saidIn(next))")
    }

    @Test func aNeedAtTheTopicMenuIsKeptForTheNeedStep() {
        var c = shippedConversation(nil)
        let turn = type(&c, ["my wife has been texting her ex", "Sue", "yes", "angry", "2", "2",
                             "i need her to stop talking to him and show me her phone"])
        #expect(c.state.slots["need"] == "you to stop talking to him and show me your phone", "\(c.state.slots)")
        #expect(saidIn(turn).contains("I need you to stop talking to him and show me your phone"), "\(saidIn(turn))")
        let need = c.handle("3")
        #expect(!saidIn(need).contains("What would help you feel safer"), "\(saidIn(need))")
        #expect(scripts(c).contains("I need you to stop talking to him and show me your phone"), "\(scripts(c))")
    }

    @Test func aPromiseTypedWhereTheActWasAskedIsKeptAndTheActAskedAgain() {
        var c = shippedConversation(nil)
        let turn = type(&c, ["I lied to my wife about money", "Anna", "yes", "I will tell you the truth about every bill we get"])
        #expect(c.state.slots["promise"] == "tell you the truth about every bill we get")
        #expect(c.state.slots["act"] == nil)
        #expect(saidIn(turn).contains("How would you say what you did"), "\(saidIn(turn))")
    }

    @Test func whereThingsStandTypedWithTheFeelingIsKept() {
        var c = shippedConversation(nil)
        type(&c, ["my husband lied to me about the money", "Sam"])
        let turn = c.handle("yes")
        #expect(saidIn(turn).contains("How are you feeling"))
        let after = c.handle("furious tbh. i'm thinking of just leaving him")
        #expect(c.state.slots["feeling"] == "angry")
        #expect(c.state.slots["stage"] == "considering-leaving")
        #expect(!saidIn(after).contains("where are things between you"), "\(saidIn(after))")
    }

    // A correction that changes nothing is taken once; the same again goes on to what happened, never a loop.
    @Test func aCorrectionThatChangesNothingDoesNotLoop() {
        var c = shippedConversation(nil)
        let first = type(&c, ["my husband lied to me about money", "Mark", "not quite, hes my husband"])
        #expect(saidIn(first).contains("Let me check I have it right"))
        let second = c.handle("not quite, hes my husband")
        #expect(!saidIn(second).contains("Let me check I have it right"), "\(saidIn(second))")
        #expect(saidIn(second).contains("what did Mark do?"), "\(saidIn(second))")
        #expect(c.state.slots["relationship"] == "partner")
    }

    // S10: a correction changes only what it names.
    @Test func aCorrectionKeepsWhatItDoesNotName() {
        var c = shippedConversation(nil)
        var turn = type(&c, ["my partner hid money from me", "Jo", "nah he's my husband and it's gambling he hid"])
        #expect(c.state.slots["relationship"] == "partner")
        #expect(c.state.slots["breach"] == "secrecy")
        #expect(saidIn(turn).contains("with your partner"), "\(saidIn(turn))")

        c = shippedConversation(nil)
        turn = type(&c, ["my friend Amy told everyone my secret", "Amy", "no she's my sister not my friend"])
        #expect(c.state.slots["relationship"] == "family")
        #expect(c.state.slots["breach"] == "disloyalty")
        #expect(!saidIn(turn).contains("In your own words"), "\(saidIn(turn))")
        #expect(saidIn(turn).contains("Let me check I have it right"))

        c = shippedConversation(nil)
        turn = type(&c, ["my boyfriend has been lying to me for months about where he goes", "Sam", "no its not stuck, i only found out on sunday"])
        #expect(c.state.slots["stage"] == "just-happened")
        #expect(c.state.slots["breach"] == "lie")
        #expect(choicesIn(turn).first == "That's right", "\(choicesIn(turn))")
    }

    @Test func aBareNotQuiteAsksWhatHappenedAndKeepsWhoItWas() {
        var c = shippedConversation(nil, region: "CA")
        type(&c, ["my best friend has been talking behind my back to our group chat, saying i am fake and needy", "Priya", "not quite"])
        #expect(c.state.slots["relationship"] == "friend")
        let turn = c.handle("well its more that she took my exs side in the breakup and then trashed me")
        #expect(c.state.slots["relationship"] == "friend")
        #expect(saidIn(turn).contains("with a friend"), "\(saidIn(turn))")
    }

    // S13: scripts spliced from the user's words.
    @Test func theActIsSaidInTheFirstPerson() {
        var c = shippedConversation(nil)
        type(&c, ["I badmouthed my coworker Jen", "Jen", "yes", "told the boss she was unreliable"])
        #expect(c.state.slots["act"] == "I told the boss you were unreliable")
        #expect(scripts(c).contains("I told the boss you were unreliable"), "\(scripts(c))")
        #expect(!scripts(c).contains(". told"))
    }

    @Test func aPromiseThatIsNoPromiseIsAskedOnceThenLeftOut() {
        var c = shippedConversation(nil)
        var turn = type(&c, ["I lied to my wife about money", "Anna", "yes", "I lied about the money", "1", "guilty", "1"])
        #expect(saidIn(turn).contains("What will you do differently"), "\(saidIn(turn))")
        turn = c.handle("it just came out last week")
        #expect(saidIn(turn).contains("starting with a verb"), "\(saidIn(turn))")
        turn = c.handle("sorry I left you waiting 4 hours at the airport")
        #expect(c.state.slots["promise"] == nil)
        #expect(!scripts(c).contains("I will it"))
        #expect(!scripts(c).contains("I will sorry"))
        #expect(scripts(c).contains("I will be open with you"), "\(scripts(c))")
    }

    // M11: each /back reaches another question.
    @Test func backSkipsTheSameQuestionAskedAgain() {
        var c = shippedConversation(nil)
        type(&c, ["my husband lied to me", "Mark", "blorp zzz"])
        let back = c.handle("/back")
        #expect(saidIn(back).contains("Who broke your trust"), "\(saidIn(back))")
    }

    // M12: "go on" at the topic menu goes to a topic not seen yet.
    @Test func goOnAtTheTopicMenuGoesToTheNextUnseenTopic() {
        var c = shippedConversation(nil)
        type(&c, ["my husband lied to me", "Mark", "yes", "angry", "1", "2"])
        let first = c.handle("go on")
        #expect(!saidIn(first).contains("That makes complete sense after a lie"), "\(saidIn(first))")
        #expect(c.state.points.count == Set(c.state.points).count)
        let seen = c.state.points.count
        _ = c.handle("2")
        // The next topic in the menu's order not yet seen: after feelings and looking after oneself, the need.
        let second = c.handle("go on")
        #expect(saidIn(second).contains("What would help you"), "\(saidIn(second))")
        #expect(c.state.points.count == seen)
    }

    // M6: a question back at the name step is answered, and the name still asked.
    @Test func aQuestionAtTheNameStepIsAnswered() {
        var c = shippedConversation(nil)
        type(&c, ["my husband lied to me"])
        for question in ["why do you need a name?", "what do you mean by first name?"] {
            let turn = c.handle(question)
            #expect(c.state.slots["name"] == nil, "\(question)")
            #expect(saidIn(turn).contains("A first name is plenty"), "\(saidIn(turn))")
        }
        _ = c.handle("Liam")
        #expect(c.state.slots["name"] == "Liam")
    }
}

@Suite struct RetellingReview6Tests {
    let retelling = shippedDialogs.retelling

    @Test func retoldVerbsAgreeWithYou() {
        let told = retelling.retell("my husband lied about where he goes at weekends", name: nil, breach: nil, understanding: shippedDialogs.understanding)
        #expect(told == "lied about where you go at weekends", "\(told ?? "nil")")
        let has = retelling.retell("she lied about what she does with her money", name: nil, breach: nil, understanding: shippedDialogs.understanding)
        #expect(has == "lied about what you do with your money", "\(has ?? "nil")")
    }

    @Test func theActGetsItsSubject() {
        #expect(retelling.firstPerson("told the boss she was unreliable") == "I told the boss she was unreliable")
        #expect(retelling.firstPerson("Never told her about the loan") == "I never told her about the loan")
        #expect(retelling.firstPerson("i lied about the money") == "I lied about the money")
        #expect(retelling.firstPerson("I read your messages") == "I read your messages")
    }

    @Test func aNeedIsSaidToThePerson() {
        #expect(retelling.toYou("her to stop talking to him and show me her phone") == "you to stop talking to him and show me your phone")
        #expect(retelling.toYou("honesty from now on") == "honesty from now on")
    }
}

@Suite struct ActAtTheSummaryTests {
    @Test func anActTypedWithTheYesIsKeptAndNotAskedFor() {
        var c = shippedConversation(nil)
        for line in ["I cheated on my wife", "Anna"] { _ = c.handle(line) }
        let turn = c.handle("yes, I slept with her best friend last summer")
        #expect(c.state.slots["act"] == "I slept with your best friend last summer")
        #expect(!saidIn(turn).contains("How would you say what you did"), "\(saidIn(turn))")
        #expect(c.state.given.last?.text.contains("I slept with your best friend last summer") == true)
    }

    @Test func aCorrectionWithTheActPutsTheSummaryRight() {
        var c = shippedConversation(nil)
        for line in ["I cheated on my wife", "Anna"] { _ = c.handle(line) }
        let turn = c.handle("no, I lied to her about the money, not an affair")
        #expect(c.state.slots["breach"] == "lie", "\(c.state.slots)")
        #expect(c.state.slots["act"]?.hasPrefix("I lied to you about the money") == true)
        #expect(saidIn(turn).contains("Let me check I have it right"), "\(saidIn(turn))")
    }

    @Test func aPromiseWithAStageAnswersBoth() {
        var c = shippedConversation(nil)
        for line in ["I cheated on my wife", "Anna", "yes", "I slept with someone else", "go on", "guilty"] { _ = c.handle(line) }
        _ = c.handle("im going to try to make it work with her, we are in counselling")
        #expect(c.state.slots["promise"] == "try to make it work with you")
        // "from now on" at the end is not said twice in "From now on, I will ...".
        var d = shippedConversation(nil)
        for line in ["I cheated on my wife", "Anna", "yes", "I slept with someone else", "go on", "guilty"] { _ = d.handle(line) }
        _ = d.handle("im going to be honest with her about where I am from now on. we are in counselling")
        #expect(d.state.slots["promise"] == "be honest with you about where I am", "\(d.state.slots)")
        #expect(c.state.slots["stage"] == "repairing")
    }
}
