/// Builds an organization directory (`Documentation/OrganizationFormat.md`) from the JSON that the AWS CLI prints
/// (`--output json`) for IAM, IAM Identity Center, the identity store, AWS Organizations and account access
/// manager, or adds those exports to an existing organization directory.
///
/// Each file is recognised by its shape; outputs that do not say what they were asked about are read from files
/// named `COMMAND.ID….json`. The exports read are kept in the directory's `exports/` folder, so that adding to a
/// directory later rebuilds it from every export given so far; a new export replaces a kept one that describes
/// the same thing.
///
/// ```swift
/// var importer = OrganizationImport()
/// try importer.add(file: "list-roots.json", bytes: bytes)
/// let result = try importer.write(to: "org")
/// for part in result.missing { print(part.command) }
/// ```
public struct OrganizationImport: Sendable {
  private var records: [ExportRecord] = []
  private var stored: [ExportRecord] = []
  private var existing: ExistingDirectory?

  /// Creates an empty import.
  public init() {}

  /// Every file read, new and stored, with what it was recognised as, in the order read.
  public var inputs: [ImportedFile] { (stored + records).map(\.description) }

  /// Reads one export.
  ///
  /// - Parameters:
  ///   - file: the file's path; its name tells the IDs of what outputs that do not name it were asked about.
  ///   - bytes: its content.
  /// - Returns: what it was recognised as.
  /// - Throws: ``InputError`` naming the file, JSON path and line:column when the file is not the output of a
  ///   command import reads, lacks a member, has a member of the wrong type or an invalid policy, needs a file name
  ///   that says what it describes, or contradicts an earlier file describing the same thing.
  @discardableResult
  public mutating func add(file: String, bytes: [UInt8]) throws(InputError) -> ImportedFile {
    let record = try Recognition.record(file: file, bytes: bytes)
    if record.command.isSingular, let earlier = records.first(where: { $0.key == record.key }), earlier.json.output != record.json.output {
      throw InputError(.importConflict,
                       "`\(earlier.file)` is also `\(record.command.display)` output for the same thing, with other content",
                       file: file, position: record.json.position)
    }
    records.append(record)
    return record.description
  }

  /// Reads an organization directory to add to: its `exports/` folder (exports of earlier imports, which the new
  /// ones replace when they describe the same thing) and the files the import merges with.
  ///
  /// - Throws: ``InputError`` when the path is a file, a folder with files but no `organization.json`, or holds an
  ///   unreadable kept export.
  public mutating func addExisting(directory: String) throws(InputError) {
    existing = try ExistingDirectory.read(directory)
    stored = []
    for file in existing?.storedExports ?? [] {
      let path = directory + "/" + file
      var record = try Recognition.record(file: path, bytes: InputFile.read(path))
      record.isStored = true
      stored.append(record)
    }
  }

  /// The exports that count: the new ones, and the stored ones that no new one replaces.
  private var active: [ExportRecord] {
    let replaced = Set(records.map(\.key))
    return stored.filter { !replaced.contains($0.key) } + records
  }

  private var plan: ImportPlan { ImportPlan(records: active, existing: existing) }

  /// What is still missing for a complete organization, as the AWS CLI commands that export it.
  public var missing: [MissingPart] { plan.missing }

  /// Warnings about the inputs: references that resolve nowhere, guesses made, pages missing.
  public var warnings: [Diagnostic] { plan.warnings.sorted() }

  /// The files the import would write, relative to the directory, with their content.
  public var files: [String: [UInt8]] { plan.files }

  /// Writes the organization directory: a new one, or the one given to ``addExisting(directory:)`` (read now if it
  /// was not) with the exports added. Files of that directory stay unless an export replaces what they describe.
  /// The directory is written beside and renamed into place, so it is never left half-written.
  ///
  /// - Throws: ``InputError`` when the exports contradict each other (pages of different exports, a permission set
  ///   AWS would refuse), or the directory cannot be written.
  public func write(to directory: String) throws(InputError) -> ImportResult {
    var importer = self
    if importer.existing?.path != directory { try importer.addExisting(directory: directory) }
    let plan = importer.plan
    guard plan.errors.isEmpty else { throw InputError(plan.errors + plan.warnings) }
    let kept = (importer.existing?.files ?? []).filter { plan.files[$0] == nil && !plan.removed.contains($0) }
    try DirectoryWriter.write(plan.files, keeping: kept, from: importer.existing?.path, to: directory)
    return ImportResult(directory: directory, written: plan.files.keys.sorted(), kept: kept, removed: plan.removed.sorted(),
                        warnings: plan.warnings.sorted(), missing: plan.missing)
  }
}
