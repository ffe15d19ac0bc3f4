import ArgumentParser

/// `refkit mail`: what refkit does with the kit's drafts beyond writing them.
struct MailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mail",
        abstract: "Put the kit's email drafts into your own mailbox.",
        subcommands: [MailPushCommand.self]
    )
}
