// `mend export`: a saved conversation as Markdown, JSON, plain text or a self-contained HTML page.
import ArgumentParser
import Foundation
import MendCore

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a conversation's transcript.",
        discussion: "Steps taken back with /back are left out, except in JSON, which keeps every event. An existing file is never overwritten."
    )

    @Argument(help: ArgumentHelp("The conversation: its id (or the start of it) from 'mend sessions', or 'latest'.", valueName: "id"))
    var id: String

    @Option(help: ArgumentHelp("md, json, txt or html.", valueName: "format"))
    var format: ExportFormat = .md

    @Option(name: [.short, .long], help: ArgumentHelp("Where to write ('-' for standard output). Default: mend-ID.FORMAT in this folder.", valueName: "path"))
    var output: String?

    @Option(help: ArgumentHelp("The dialogs folder to use.", valueName: "dir"))
    var dialogs: String?

    func run() throws {
        let words = try loadTranscriptWords(flag: dialogs)
        let store = Store(directory: Locate.home())
        let found: String
        let reading: LogReading
        do {
            found = try store.resolve(id)
            reading = try Log.read(path: store.path(of: found))
        } catch {
            throw Failure(message: "\(error)")
        }
        if let damage = reading.damage {
            Terminal.error("\(damage.place): \(damage.reason); exporting the \(reading.events.count) events before it (the file is left untouched)")
        }
        let text = Exporter.render(format, ExportSource(id: found, events: reading.events, damage: reading.damage, words: words))
        do {
            if output == "-" {
                FileHandle.standardOutput.write(Data(text.utf8))
            } else if let output {
                try NewFile.create(output, contents: Data(text.utf8))
                Terminal.write(Terminal.inert(words.text("exported", ["path": output])))
            } else {
                let base = FileManager.default.currentDirectoryPath + "/" + Exporter.defaultBase(id: found)
                let path = try NewFile.createNumbered(base: base, ext: format.rawValue, contents: Data(text.utf8))
                Terminal.write(Terminal.inert(words.text("exported", ["path": path])))
            }
        } catch {
            throw Failure(message: "\(error)")
        }
    }
}

extension ExportFormat: ExpressibleByArgument {}
