// Retelling what someone did as "you ...", with the shipped word lists: pronouns, agreement, where to stop.
import Testing
@testable import MendCore

@Suite struct RetellingTests {
    func retold(_ line: String, name: String? = nil, breach: String? = nil) -> String? {
        shippedDialogs.retelling.retell(line, name: name, breach: breach, understanding: shippedDialogs.understanding)
    }

    @Test func theirPronounsBecomeYouAndVerbsAgree() {
        #expect(retold("honestly idk, he said he was at work but his location said otherwise. we've been married 6 years")
            == "said you were at work but your location said otherwise")
        #expect(retold("he was sexting some girl from work") == "were sexting some girl from work")
        #expect(retold("my wife slept with her boss and lied to me about it for a year") == "slept with your boss and lied to me about it for a year")
    }

    func toThem(_ line: String, name: String? = "Sarah", partner: Bool = true) -> String {
        shippedDialogs.retelling.toThem(line, name: name) { noun in
            partner && shippedDialogs.understanding.read(noun, set: "relationship").label == "partner"
        }
    }

    @Test func wordsSaidToThePersonCallThemYou() {
        #expect(toThem("I lied to my wife about the money") == "I lied to you about the money")
        #expect(toThem("I slept with her best friend") == "I slept with your best friend")
        #expect(toThem("tell her where I am and show her my phone when she asks") == "tell you where I am and show you my phone when you ask")
        #expect(toThem("I read Sarah's diary") == "I read your diary")
        // Somebody else named first: "she" may be them, so nothing turns.
        #expect(toThem("I slept with my coworker and she told everyone") == "I slept with my coworker and she told everyone")
        // The one told is not who it is about: "she" is still the person.
        #expect(toThem("I told the boss she was unreliable", name: "Jen", partner: false) == "I told the boss you were unreliable")
        // Two sets of pronouns: which one is the person is unclear, so nothing turns.
        #expect(toThem("I told her he meant nothing") == "I told her he meant nothing")
    }

    @Test func knownTyposArePutRightWhenSaidBack() {
        #expect(retold("he cheeted on me with his coworker") == "cheated on me with your coworker")
    }

    @Test func whenTheUserFoundOutIsNotPartOfWhatTheyDid() {
        #expect(retold("she cheated on me with her coworker, found out yesterday and im furious") == "cheated on me with your coworker")
        #expect(retold("he lied about the money, only found out last week") == "lied about the money")
    }

    @Test func otherPeoplesPronounsStay() {
        // "her" is the other woman when he is the one who did it.
        #expect(retold("he cheated on me with her") == "cheated on me with her")
        #expect(retold("she lied to him about me") == "lied to him about me")
    }

    @Test func aNameTakesThePronounsUsedWithIt() {
        #expect(retold("Dan cheated on me with my best friend", name: "Dan") == "cheated on me with my best friend")
        #expect(retold("Dan broke his promise to stop drinking", name: "Dan") == "broke your promise to stop drinking")
    }

    @Test func theUsersOwnPartIsLeftOut() {
        #expect(retold("my husband spent our savings on gambling and i only found out when the bank called") == "spent our savings on gambling")
        #expect(retold("she cheated on me, I found out yesterday") == "cheated on me")
    }

    @Test func nothingIsRetoldUnlessItIsPlainlyTheBreach() {
        #expect(retold("he apologised and bought me flowers") == nil)      // not a breach
        #expect(retold("he lied") == nil)                                  // too short to add anything
        #expect(retold("we were fine until last year") == nil)             // no one did anything
        #expect(retold("he cheated on me", breach: "lie") == nil)          // another act than the one agreed
        #expect(retold("she's been texting her ex") == nil)                // not the past tense the script needs
    }
}
