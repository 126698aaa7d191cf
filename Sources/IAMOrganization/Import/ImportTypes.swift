/// What one input file of `iamsim import` was recognised as.
public struct ImportedFile: Sendable, Hashable {
  /// The file, as given (or as found in the directory's `exports/`).
  public var file: String
  /// The command whose output it is, such as `aws sso-admin list-account-assignments`.
  public var command: String
  /// What it holds, in a few words: `3 assignments of account 111122223333 to ps-1a2b3c4d5e6f7a8b`.
  public var summary: String
  /// Whether it was read from the `exports/` folder of the directory being added to (a previous import).
  public var isStored: Bool

  /// Creates a description.
  public init(file: String, command: String, summary: String, isStored: Bool = false) {
    self.file = file
    self.command = command
    self.summary = summary
    self.isStored = isStored
  }
}

/// A part of the organization that no input gave, with the AWS CLI command that exports it.
public struct MissingPart: Sendable, Hashable {
  /// What is missing, in one sentence: `no list-account-assignments for account 111122223333 and permission set ps-…`.
  public var what: String
  /// The command to run, output redirected to ``file``.
  public var command: String
  /// The file name `iamsim import` expects the output in.
  public var file: String

  /// Creates a missing part.
  public init(what: String, command: String, file: String) {
    self.what = what
    self.command = command
    self.file = file
  }
}

/// What an import wrote.
public struct ImportResult: Sendable {
  /// The organization directory written.
  public var directory: String
  /// Files written from the inputs, relative to ``directory``, sorted.
  public var written: [String]
  /// Files of the directory that was added to, kept as they were, sorted.
  public var kept: [String]
  /// Files of the directory that was added to that the inputs replaced under another name, sorted.
  public var removed: [String]
  /// Warnings: members AWS added that iamsim ignores, references that resolve nowhere, guesses made.
  public var warnings: [Diagnostic]
  /// What is still missing for a complete organization.
  public var missing: [MissingPart]
}

extension Diagnostic.Code {
  /// A file that is not the output of any AWS CLI command `iamsim import` reads.
  public static let importUnknownShape: Self = "import.unknown-shape"
  /// An output that does not say what it was asked about, in a file whose name does not say it either.
  public static let importNeedsName: Self = "import.needs-name"
  /// A file named after one command that holds another's output, or an ID in a name that its content contradicts.
  public static let importNameMismatch: Self = "import.name-mismatch"
  /// A member of an export with the wrong JSON type.
  public static let importWrongType: Self = "import.wrong-type"
  /// A member an export needs that is absent.
  public static let importMissingMember: Self = "import.missing-member"
  /// Two inputs that give different content for the same thing.
  public static let importConflict: Self = "import.conflict"
  /// The output of an AWS CLI command that `iamsim import` does not read.
  public static let importUnsupportedCommand: Self = "import.unsupported-command"
  /// The output directory cannot be written, or is not an organization directory to add to.
  public static let importOutput: Self = "import.output"
  /// A member AWS added to an export that iamsim does not know; it is kept or ignored (warning).
  public static let importToleratedMember: Self = "import.tolerated-member"
  /// An ID that resolves to nothing the inputs describe (warning).
  public static let importUnresolved: Self = "import.unresolved"
  /// A paginated output whose last page is missing (warning).
  public static let importTruncated: Self = "import.truncated"
  /// A value iamsim had to guess or leave out (warning).
  public static let importGuess: Self = "import.guess"
}

extension Int {
  /// `1 user`, `2 users`, `3 policies`: the count and the noun, plural when it is not 1.
  func counted(_ noun: String) -> String {
    guard self != 1 else { return "1 \(noun)" }
    if noun.hasSuffix("y"), let before = noun.dropLast().last, !"aeiou".contains(before) { return "\(self) \(noun.dropLast())ies" }
    return "\(self) \(noun)s"
  }
}
