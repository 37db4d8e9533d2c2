// The pure engine and the conversation around it: role choice, slots, /back, /restart, /role.
import Testing
@testable import MendCore

@Suite struct EngineSteps {
    let dialogs: Dialogs
    init() throws { dialogs = try loadFixture() }

    func start(role: Role? = nil) -> (Conversation, [Output]) {
        var c = Conversation(engine: Engine(dialogs: dialogs), seed: 7, region: nil)
        let turn = c.begin(role: role)
        return (c, turn.outputs)
    }

    func said(_ outputs: [Output]) -> String {
        outputs.compactMap { output -> String? in
            switch output {
            case let .say(t), let .notice(t): return t
            case let .choices(c): return c.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n")
            case let .script(s): return "SCRIPT: " + s.text
            default: return nil
            }
        }.joined(separator: "\n")
    }

    @Test func theRoleQuestionComesFirstWithNumberedChoices() {
        let (c, out) = start()
        #expect(said(out).contains("Which is closer?"))
        #expect(out.contains(.choices(["They broke my trust", "I broke their trust"])))
        #expect(c.state.current == Frame(flow: "start", node: "who"))
    }

    @Test func aRoleCanBeChosenByNumberByNameOrByText() {
        var (c, _) = start()
        _ = c.handle("2")
        #expect(c.state.role == .hurting)
        #expect(c.state.current == Frame(flow: "hurting", node: "begin"))

        (c, _) = start()
        _ = c.handle("they broke my trust")
        #expect(c.state.role == .hurt)
    }

    @Test func answersFillSlotsAndScriptsUseThem() {
        var (c, _) = start(role: .hurting)
        _ = c.handle("I lied to her")
        #expect(c.state.slots["breach"] == "lie")
        let turn = c.handle("tell her where I am")
        #expect(c.state.slots["promise"] == "tell her where I am")
        #expect(said(turn.outputs).contains("SCRIPT: I'm sorry I lied to you. From now on I will tell her where I am."))
    }

    @Test func aBareReplyToAWordsQuestionIsAskedOnceMoreThenLeftOut() {
        var (c, _) = start(role: .hurting)
        _ = c.handle("I lied to her")
        var turn = c.handle("sure")
        #expect(said(turn.outputs).contains("a few words of your own"))
        #expect(c.state.slots["promise"] == nil)
        turn = c.handle("3")
        // The second time it goes on without keeping "3" as the promise.
        #expect(c.state.slots["promise"] == nil)
        #expect(!said(turn.outputs).contains("From now on I will 3"))
        #expect(!said(turn.outputs).contains("a few words of your own"))
    }

    @Test func anyEverydayReplyIsAReplyNotTheUsersOwnWords() {
        // "what else" belongs to "Something else" in replies.yaml, not to "Go on": still only a reply.
        var (c, _) = start(role: .hurting)
        _ = c.handle("I lied to her")
        let turn = c.handle("what else")
        #expect(said(turn.outputs).contains("a few words of your own"))
        #expect(c.state.slots["promise"] == nil)
    }

    @Test func aLabelRoutesToItsNode() {
        var (c, _) = start(role: .hurt)
        _ = c.handle("Alex")
        let turn = c.handle("she cheated on me")
        #expect(said(turn.outputs).contains("An affair is a deep hurt."))
    }

    @Test func aQuestionAlreadyAnsweredIsSkipped() {
        var (c, _) = start(role: .hurt)
        _ = c.handle("skip")
        let turn = c.handle("he lied and I'm furious")
        #expect(c.state.slots["feeling"] == "angry")
        #expect(!said(turn.outputs).contains("How do you feel?"))
        #expect(said(turn.outputs).contains("SCRIPT:"))
    }

    @Test func anUnclearAnswerOffersTheLabelsThenMovesOnGently() {
        var (c, _) = start(role: .hurt)
        _ = c.handle("skip")
        let first = c.handle("it's complicated")
        #expect(c.state.clarify?.set == "breach")
        #expect(first.outputs.contains { if case let .choices(list) = $0 { return list.count == 7 } else { return false } })
        let second = c.handle("still complicated")
        #expect(c.state.clarify == nil)
        #expect(said(second.outputs).contains("How do you feel?"))
        let picked = c.handle("")
        _ = picked
    }

    @Test func aNumberAnswersTheClarifyingQuestion() {
        var (c, _) = start(role: .hurt)
        _ = c.handle("skip")
        _ = c.handle("it's complicated")
        _ = c.handle("6")
        #expect(c.state.slots["breach"] == "infidelity")
    }

    @Test func backUndoesEveryStepToTheStart() {
        var (c, _) = start()
        _ = c.handle("1")
        _ = c.handle("Sam")
        #expect(c.state.slots["name"] == "Sam")
        let back = c.handle("/back")
        #expect(c.state.slots["name"] == nil)
        #expect(said(back.outputs).contains("Who was it?"))
        _ = c.handle("/back")
        #expect(c.state.current == Frame(flow: "start", node: "who"))
        #expect(c.state.role == nil)
        let none = c.handle("/back")
        #expect(said(none.outputs) == dialogs.messages.text("nothing-to-undo"))
        #expect(c.state.current == Frame(flow: "start", node: "who"))
    }

    @Test func restartBeginsAgainAndForgetsSlots() {
        var (c, _) = start(role: .hurt)
        _ = c.handle("Sam")
        let turn = c.handle("/restart")
        #expect(c.state.slots["name"] == nil)
        #expect(c.state.current == Frame(flow: "start", node: "who"))
        #expect(said(turn.outputs).contains("Which is closer?"))
        _ = c.handle("/back")
        #expect(c.state.slots["name"] == "Sam")
    }

    @Test func roleSwitchesToTheOtherFlowAndKeepsWhatWasSaid() {
        var (c, _) = start(role: .hurt)
        _ = c.handle("Sam")
        let turn = c.handle("/role")
        #expect(c.state.role == .hurting)
        #expect(c.state.current?.flow == "hurting")
        #expect(c.state.slots["name"] == "Sam")
        #expect(turn.events.contains { $0.type == .user && $0.text == "/role" })
        _ = c.handle("/role I lied to him")
        #expect(c.state.role == .hurting)
        _ = c.handle("/role hurt")
        #expect(c.state.role == .hurt)
    }

    @Test func saveKeepsTheLastScriptAndScriptsListsIt() {
        var (c, _) = start(role: .hurting)
        #expect(said(c.handle("/save").outputs) == dialogs.messages.text("no-script-to-save"))
        _ = c.handle("I lied")
        _ = c.handle("be honest")
        _ = c.handle("/save")
        #expect(c.kept.count == 1)
        let list = c.handle("/scripts")
        #expect(said(list.outputs).contains("From now on I will be honest"))
    }

    @Test func theEngineIsPure() {
        let engine = Engine(dialogs: dialogs)
        let state = State(seed: 3)
        let a = engine.step(state, .begin(role: .hurting))
        let b = engine.step(state, .begin(role: .hurting))
        #expect(a.0 == b.0)
        #expect(a.1 == b.1)
    }

    @Test func unknownCommandsSuggestTheNearestOne() {
        var (c, _) = start()
        let turn = c.handle("/hlep")
        #expect(said(turn.outputs).contains("Did you mean /help?"))
    }
}
