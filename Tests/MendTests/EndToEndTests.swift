// The built binary, end to end: piped conversations, exit codes, messages.
import Foundation
import Testing

@Suite struct PipedConversation {
    @Test func hurtRoleReachesAScriptUsingTheName() throws {
        let result = try runMend(["chat", "--role", "hurt", "--no-save"], stdin: "Sam\nhe lied to me about money\n1\nangry\n2\n1\n/quit\n")
        #expect(result.status == 0)
        #expect(result.stdout.contains("lied to me"))
        #expect(result.stdout.contains("Sam"))
        #expect(!result.stdout.contains("\u{1B}["))
    }
}
