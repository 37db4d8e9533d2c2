// `mend check-apology TEXT`: the apology checker on one draft.
import ArgumentParser
import Foundation
import MendCore

struct CheckApology: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-apology",
        abstract: "Check a draft apology for the usual dodges.",
        discussion: "Exit status 0 when there is nothing to fix, 1 when something is flagged, 2 on bad input."
    )

    @Flag(help: "Print JSON for machines.")
    var json = false

    @Option(help: ArgumentHelp("The dialogs folder to use.", valueName: "dir"))
    var dialogs: String?

    @Argument(help: "The draft apology (quote it, or give it as several words; '-' reads it from standard input).")
    var text: [String]

    func validate() throws {
        if text.joined().trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("give the draft apology, e.g. mend check-apology \"I'm sorry if you were upset\"")
        }
    }

    func run() throws {
        Terminal.setUp(noColor: false)
        let dialogs = try Locate.loadDialogs(flag: self.dialogs)
        // "-" reads the draft from standard input, so a long one needs no quoting.
        var draft = text.joined(separator: " ")
        if text == ["-"] {
            draft = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if draft.isEmpty { throw Failure(message: "standard input held no draft; pipe one in, e.g. echo \"I'm sorry I lied\" | mend check-apology -") }
        }
        let review = dialogs.apology.review(draft)
        let flags = review.flags
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            struct Report: Encodable { var text: String; var clean: Bool; var flags: [ApologyFlag]; var notes: [ApologyFlag] }
            let data = try encoder.encode(Report(text: draft, clean: review.clean, flags: flags, notes: review.notes))
            print(String(decoding: data, as: UTF8.self))
        } else if !flags.isEmpty {
            // Each dodge with why, and a better shape built from the draft; what is missing waits until it is clean.
            Terminal.write(Terminal.wrap(dialogs.messages.text("apology-flags")))
            Terminal.show([.apology(flags)], messages: dialogs.messages)
        } else if review.notes.isEmpty {
            Terminal.write(Terminal.wrap(dialogs.messages.text("apology-clean")))
        } else {
            Terminal.write(Terminal.wrap(dialogs.messages.text("apology-clean-notes")))
            Terminal.show([.apology(review.notes)], messages: dialogs.messages)
        }
        if !flags.isEmpty { throw ExitCode(1) }
    }
}
