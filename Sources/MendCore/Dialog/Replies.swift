// Everyday replies that pick a numbered choice by what it means, from `replies.yaml`.
import Foundation

/// Phrases per choice text: any choice whose words are a key here also answers to its phrases,
/// so "ok" or "keep going" picks "Go on" wherever that choice appears.
public struct Replies: Sendable, Equatable {
    /// Phrases by the choice text, in the plain words of `Understanding.plainWords`.
    public var phrases: [String: [String]] = [:]
    /// Where each key was written, for the validator.
    public var places: [String: Place] = [:]

    public init() {}

    /// The phrases for a choice as it reads on screen.
    public func phrases(for choiceText: String, understanding: Understanding) -> [String] {
        phrases[understanding.plainWords(choiceText).joined(separator: " ")] ?? []
    }

    static func load(text: String, reader: YAMLReader, understanding: Understanding) -> Replies {
        var replies = Replies()
        guard let root = reader.parse(text, plain: true) else { return replies }
        for (key, keyNode, value) in reader.namedMapping(root, what: "replies.yaml") ?? [] {
            let plainKey = understanding.plainWords(key).joined(separator: " ")
            if plainKey.isEmpty { reader.error(keyNode, "a choice text needs words"); continue }
            var list: [String] = []
            for node in reader.sequence(value, what: "replies for '\(key)'") {
                guard let item = reader.string(node, what: "a reply") else { continue }
                let plain = understanding.plainWords(item).joined(separator: " ")
                if plain.isEmpty { reader.error(node, "a reply needs words"); continue }
                if list.contains(where: { understanding.plainWords($0).joined(separator: " ") == plain }) {
                    reader.warning(node, "'\(item)' is listed twice for '\(key)'")
                    continue
                }
                list.append(item)
            }
            replies.phrases[plainKey, default: []] += list
            replies.places[plainKey] = reader.place(keyNode)
        }
        return replies
    }
}
