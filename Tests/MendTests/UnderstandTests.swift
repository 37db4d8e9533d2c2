// `mend understand` end to end: the JSON INTERFACE.md fixes, --explain, bad usage.
import Foundation
import Testing

@Suite struct UnderstandCommand {
    func object(_ stdout: String) throws -> [String: Any] {
        let data = Data(stdout.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func printsSetLabelConfidenceAndCrisis() throws {
        let result = try runMend(["understand", "--set", "breach", "I didn't cheat, but I lied about where I was"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix(#"{"set":"breach","label":"lie","confidence":"#))
        let json = try object(result.stdout)
        #expect(Set(json.keys) == ["set", "label", "confidence", "crisis"])
        #expect(json["crisis"] is NSNull)
        let confidence = try #require(json["confidence"] as? Double)
        #expect(confidence > 0.5 && confidence <= 1)
    }

    @Test func labelIsNullWhenItWouldAsk() throws {
        let result = try runMend(["understand", "--set", "role", "hello"])
        #expect(result.status == 0)
        let json = try object(result.stdout)
        #expect(json["label"] is NSNull)
    }

    @Test func roleFollowsGrammar() throws {
        let hurt = try object(runMend(["understand", "--set", "role", "my wife cheated"]).stdout)
        let hurting = try object(runMend(["understand", "--set", "role", "I cheated on my wife"]).stdout)
        #expect(hurt["label"] as? String == "hurt")
        #expect(hurting["label"] as? String == "hurting")
    }

    @Test func explainAddsTheDecidingWords() throws {
        let json = try object(runMend(["understand", "--set", "feeling", "--explain", "not sad, just angry"]).stdout)
        #expect(json["label"] as? String == "angry")
        let why = try #require(json["why"] as? [String])
        #expect(why.contains("angry"))
        #expect(why.contains("not sad"))
    }

    @Test func unknownSetIsAUsageError() throws {
        let result = try runMend(["understand", "--set", "mood", "fine"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown set 'mood'"))
        #expect(result.stdout.isEmpty)
    }

    @Test func evalPrintsPerSetAndOverall() throws {
        let result = try runMend(["eval", packageRoot.appendingPathComponent("dialogs/understanding/examples/heldout.tsv").path])
        #expect(result.status == 0)
        for word in ["role", "breach", "relationship", "stage", "feeling", "yesno", "overall", "µs per line", "wrong-guess"] {
            #expect(result.stdout.contains(word), "missing \(word)")
        }
    }
}

@Suite struct OneDescriptionFillsManySlots {
    @Test func aFullDescriptionIsReflectedBackAndNotAskedAgain() throws {
        let result = try runMend(["chat", "--no-save"], stdin: "My wife cheated on me last month and I'm furious\nskip\nthat's right\n/quit\n")
        #expect(result.status == 0)
        #expect(result.stdout.contains("Let me check I have it right: an affair, with your partner; you feel angry."))
        #expect(!result.stdout.contains("what did they do?"), "the breach was already told")
        #expect(!result.stdout.contains("How are you feeling about it right now?"), "the feeling was already told")
    }

    @Test func notQuiteClearsWhatWasUnderstoodAndAsksAgain() throws {
        let result = try runMend(["chat", "--no-save"], stdin: "My wife cheated on me last month and I'm furious\nskip\nnot quite\nshe lied about money\n/quit\n")
        #expect(result.stdout.contains("In your own words, what did they do?"))
        #expect(result.stdout.contains("Let me check I have it right: a lie"))
    }

    @Test func aChoiceTypedWithoutItsApostropheIsStillPicked() throws {
        let result = try runMend(["chat", "--no-save"], stdin: "im not sure\n/quit\n")
        #expect(result.stdout.contains("who did the thing that broke the trust?"))
    }
}

/// The first start after an update teaches the learned readers: on a terminal one calm line says so (from
/// messages.yaml); through pipes standard error stays empty and standard output is the JSON alone.
@Suite struct GettingReady {
    var note: String {
        get throws {
            let messages = try String(contentsOf: packageRoot.appendingPathComponent("dialogs/messages.yaml"), encoding: .utf8)
            let line = try #require(messages.split(separator: "\n").first { $0.hasPrefix("getting-ready: ") })
            return String(line.dropFirst("getting-ready: ".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
    }

    @Test func throughPipesAFirstStartPrintsOnlyTheReading() throws {
        let home = temporaryDirectory("mend-cold")   // its own cache folder: nothing taught yet
        let result = try runMend(["understand", "--set", "role", "he lied to me"], environment: ["XDG_CACHE_HOME": home + "/cache"], home: home)
        #expect(result.status == 0)
        #expect(result.stderr == "")
        #expect(result.stdout.split(separator: "\n").count == 1 && result.stdout.hasPrefix(#"{"set":"role""#))
    }

    @Test func onATerminalOnlyTheFirstStartSaysItIsGettingReady() throws {
        let home = temporaryDirectory("mend-cold-tty")
        let env = ptyEnvironment(home: home, extra: ["XDG_CACHE_HOME": home + "/cache"])
        let first = try PTYSession(args: ["understand", "--set", "role", "he lied to me"], env: env)
        _ = try first.waitExit(timeout: 120)
        let text = first.text
        let note = try self.note
        #expect(text.contains(note))
        let json = try #require(text.range(of: #"{"set":"role""#))
        #expect(text.range(of: note)!.lowerBound < json.lowerBound, "said before the reading")
        let again = try PTYSession(args: ["understand", "--set", "role", "he lied to me"], env: env)
        _ = try again.waitExit(timeout: 60)
        #expect(!again.text.contains(note), "read from the copies: nothing to say")
        #expect(again.text.contains(#"{"set":"role""#))
    }
}
