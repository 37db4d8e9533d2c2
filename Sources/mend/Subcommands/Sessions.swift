// `mend sessions`: list saved conversations, newest first; `mend sessions delete ID|--all`.
import ArgumentParser
import Foundation
import MendCore

struct Sessions: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List saved conversations, or delete them.",
        subcommands: [SessionsList.self, SessionsDelete.self],
        defaultSubcommand: SessionsList.self
    )
}

struct SessionsList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List saved conversations (id, start, role, turns, where it stopped), newest first."
    )

    @Option(help: ArgumentHelp("The dialogs folder to use.", valueName: "dir"))
    var dialogs: String?

    func run() throws {
        let words = try loadTranscriptWords(flag: dialogs)
        let sessions = Store(directory: Locate.home()).sessions()
        guard !sessions.isEmpty else {
            Terminal.write(words.text("sessions-none"))
            return
        }
        var rows = [words.list("sessions-columns")]
        for s in sessions {
            var place = s.lastNode ?? "-"
            if let damage = s.damaged { place += " (" + words.text("sessions-damaged", ["count": String(damage.line)]) + ")" }
            rows.append([s.id, s.started.isEmpty ? "-" : readableDate(s.started), s.role ?? "-", String(s.turns), place].map(Terminal.inert))
        }
        let widths = (0..<rows[0].count).map { c in rows.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        for row in rows {
            let cells = row.enumerated().map { c, cell in c == row.count - 1 ? cell : cell.padding(toLength: widths[c], withPad: " ", startingAt: 0) }
            Terminal.write(cells.joined(separator: "  "))
        }
    }
}

struct SessionsDelete: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete one saved conversation, or all of them with --all.",
        discussion: "Asks first on a terminal. Without a terminal, --yes is required."
    )

    @Argument(help: ArgumentHelp("The conversation to delete (its id, the start of it, or 'latest').", valueName: "id"))
    var id: String?

    @Flag(help: "Delete every saved conversation.")
    var all = false

    @Flag(help: "Do not ask for confirmation.")
    var yes = false

    @Option(help: ArgumentHelp("The dialogs folder to use.", valueName: "dir"))
    var dialogs: String?

    func validate() throws {
        if all && id != nil { throw ValidationError("give an id or --all, not both") }
        if !all && id == nil { throw ValidationError("say which conversation to delete (an id from 'mend sessions'), or --all") }
    }

    func run() throws {
        let words = try loadTranscriptWords(flag: dialogs)
        let store = Store(directory: Locate.home())
        let targets: [String]
        if all {
            targets = store.ids().sorted()
        } else {
            do { targets = [try store.resolve(id ?? "")] } catch { throw Failure(message: "\(error)") }
        }
        if targets.isEmpty {
            Terminal.write(words.text("sessions-none"))
            return
        }
        if !yes {
            guard isatty(STDIN_FILENO) == 1 else {
                throw Failure(message: "not deleting without confirmation: standard input is not a terminal; add --yes to delete anyway")
            }
            let question = all ? words.text("delete-all", ["count": String(targets.count)]) : words.text("delete-one", ["id": targets[0]])
            FileHandle.standardOutput.write(Data((Terminal.inert(question) + " [y/N] ").utf8))
            let answer = (readLine() ?? "").trimmingCharacters(in: .whitespaces).lowercased()
            guard words.list("yes-words").contains(answer) else {
                Terminal.write(words.text("not-deleted"))
                return
            }
        }
        var deleted = 0
        for target in targets {
            do {
                try store.delete(target)
                deleted += 1
            } catch {
                Terminal.error("\(error)")
            }
        }
        Terminal.write(words.text("deleted", ["count": String(deleted)]))
        if deleted < targets.count { throw ExitCode(1) }
    }
}

/// The words for transcripts and the sessions list, from the dialogs folder in use.
func loadTranscriptWords(flag: String?) throws -> TranscriptWords {
    do {
        return try TranscriptWords.load(directory: Locate.dialogs(flag: flag))
    } catch let error as TranscriptWordsError {
        throw Failure(message: "\(error.description); fix it first (mend validate)")
    }
}
