// The built binary: a crisis line in the middle of a piped conversation, /resources, and a broken help-line file.
import Foundation
import Testing

@Suite struct SafetyEndToEnd {
    @Test func aCrisisLineInterruptsAndTheConversationGoesOn() throws {
        let home = temporaryDirectory("mend-safety")
        let input = "Sam\nhe lied to me about money\nI've been saving up my pills\n1\n1\n1\nangry\n1\n/quit\n"
        let result = try runMend(["chat", "--role", "hurt", "--region", "GB"], stdin: input, home: home)
        #expect(result.status == 0)
        let out = result.stdout
        // The interruption: calm words, the GB lines, the choice.
        #expect(out.contains("not therapy and not an emergency service"))
        #expect(out.contains("Samaritans: call 116 123"))
        #expect(out.contains("call 999"))
        #expect(!out.contains("988"))
        #expect(out.contains("Keep going where we were"))
        // Going on: the conversation reaches its script.
        let interruption = try #require(out.range(of: "Samaritans"))
        #expect(out[interruption.upperBound...].contains("pick up where we were"))
        #expect(out[interruption.upperBound...].contains("You sound angry"))
        #expect(out[interruption.upperBound...].contains("Words you could use"))
        // The transcript holds the crisis event.
        let data = home + "/data"
        let files = (FileManager.default.enumerator(atPath: data)?.allObjects as? [String] ?? []).filter { !$0.hasPrefix(".") }
        let saved = files.compactMap { try? String(contentsOfFile: data + "/" + $0, encoding: .utf8) }.joined()
        #expect(saved.contains("\"crisis\""))
        #expect(saved.contains("self-harm"))
    }

    @Test func resourcesWorkAtAnyTimeAndTheWelcomeSaysSo() throws {
        let result = try runMend(["chat", "--no-save", "--region", "AU"], stdin: "/resources\n/quit\n")
        #expect(result.status == 0)
        #expect(result.stdout.contains("/resources"))
        #expect(result.stdout.contains("Lifeline: call 13 11 14"))
        #expect(result.stdout.contains("call 000"))
        let unknown = try runMend(["chat", "--no-save"], stdin: "/resources\n/quit\n", environment: ["LANG": "C.UTF-8"])
        #expect(unknown.stdout.contains("findahelpline.com"))
        #expect(!unknown.stdout.contains("116 123"))
        #expect(!unknown.stdout.contains("988"))
    }

    @Test func theLocaleGivesTheRegion() throws {
        let result = try runMend(["chat", "--no-save"], stdin: "/resources\n/quit\n", environment: ["LANG": "en_GB.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""])
        #expect(result.stdout.contains("Samaritans"))
    }

    @Test func understandReportsTheCrisis() throws {
        let hit = try runMend(["understand", "--set", "feeling", "she said she'll hurt me if I leave"])
        #expect(hit.status == 0)
        #expect(hit.stdout.contains("\"crisis\":\"abuse\""))
        let idiom = try runMend(["understand", "--set", "feeling", "my back is killing me"])
        #expect(idiom.stdout.contains("\"crisis\":null"))
    }

    @Test func validateReportsABrokenHelpLineFile() throws {
        let dir = temporaryDirectory("mend-broken")
        try FileManager.default.removeItem(atPath: dir)
        try FileManager.default.copyItem(atPath: dialogsDir, toPath: dir)
        let broken = """
        lines:
          - region: INTL
            name: Anywhere
            reach: visit findahelpline.com
            hours: varies
            for: anyone
            categories: [self-harm, crisis]
            verified: 2026-13-01
            source: https://findahelpline.com
          - region: GB
            name: No source
            reach: call 116 123
            hours: 24 hours
            categories: [self-harm]
            verified: 2026-11-22
        """
        try broken.write(toFile: dir + "/safety/helplines.yaml", atomically: true, encoding: .utf8)
        let result = try runMend(["validate", dir])
        #expect(result.status == 1)
        #expect(result.stdout.contains("helplines.yaml:7:29: error: unknown category 'crisis'"))
        #expect(result.stdout.contains("helplines.yaml:8:15: error: verified should be the date"))
        #expect(result.stdout.contains("helplines.yaml:10:5: error: a help line is missing 'for'"))
        #expect(result.stdout.contains("helplines.yaml:10:5: error: a help line is missing 'source'"))
    }

    @Test func evalSafetyMeetsTheBar() throws {
        let result = try runMend(["eval-safety", packageRoot.appendingPathComponent("dialogs/safety/examples/must-pass").path])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("recall abuse: 100.0%"))
        #expect(result.stdout.contains("idioms flagged: 0/"))
    }
}
