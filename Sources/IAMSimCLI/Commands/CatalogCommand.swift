import Foundation
import IAMCatalog
import IAMPolicy

/// `iamsim catalog`: the shipped AWS action catalog: where it comes from, and how to rebuild it.
enum CatalogCommand {
  static let help = """
    USAGE: iamsim catalog info [--format text|json]
           iamsim catalog update FILE|DIR [--output PATH] [--swift-output PATH]

    info    prints the catalog's source, commit, data date and counts (services, actions, resource types,
            condition keys).
    update  rebuilds the compact catalog from AWS's service reference JSON (one service file, an array of
            them, or a folder of them) or from the iam-data pack it ships from, and writes it to --output
            (default: Sources/IAMCatalog/Resources/service-authorization.catalog above the working directory),
            and the Swift file that compiles it into iamsim to --swift-output (default, with the default
            --output: Sources/IAMCatalog/Shipped/ShippedCatalog.swift). Rebuild iamsim afterwards to ship it.

    Exit status: 0 done; 2 the source cannot be read; 64 bad usage.

    """

  static func run(_ arguments: [String], out: (String) -> Void, err: (String) -> Void) throws -> ExitStatus {
    let parsed = try ParsedArguments(arguments, valueFlags: ["--format", "--output", "--swift-output"], switchFlags: [], command: "catalog")
    switch parsed.positionals.first {
    case "info":
      let format = try parsed.format(["text", "json"], command: "catalog")
      let catalog = try loadBundled()
      out(format == "json" ? info(catalog.metadata).rendered(pretty: true) + "\n" : infoText(catalog.metadata))
      return .success
    case "update":
      guard parsed.positionals.count == 2 else { throw UsageError("name the source file or folder", command: "catalog") }
      let source = URL(fileURLWithPath: parsed.positionals[1])
      let build: CatalogBuild
      do {
        build = try CatalogBuilder.build(from: source)
      } catch {
        throw InputError("catalog.invalid-source", error.message, file: error.file, path: error.jsonPath ?? .root,
                         position: error.position)
      }
      let explicit = try parsed.single("--output", command: "catalog")
      guard let output = explicit ?? defaultOutput() else {
        throw UsageError("no Sources/IAMCatalog/Resources above the working directory; give --output", command: "catalog")
      }
      var swiftOutput = try parsed.single("--swift-output", command: "catalog")
      if swiftOutput == nil && explicit == nil {
        swiftOutput = URL(fileURLWithPath: output).deletingLastPathComponent().deletingLastPathComponent()
          .appendingPathComponent("Shipped/ShippedCatalog.swift").path
      }
      do {
        try build.write(to: URL(fileURLWithPath: output))
      } catch {
        throw InputError(.fileUnreadable, "cannot write `\(output)`: \(error)", file: output)
      }
      out("wrote \(output) from \(build.files.count) file\(build.files.count == 1 ? "" : "s") (\(build.format))\n")
      if let swiftOutput {
        do {
          try Data(build.swiftSource.utf8).write(to: URL(fileURLWithPath: swiftOutput), options: .atomic)
        } catch {
          throw InputError(.fileUnreadable, "cannot write `\(swiftOutput)`: \(error)", file: swiftOutput)
        }
        out("wrote \(swiftOutput)\n")
      }
      out(infoText(build.catalog.metadata))
      return .success
    default:
      throw UsageError("use `iamsim catalog info` or `iamsim catalog update FILE`", command: "catalog")
    }
  }

  /// The shipped catalog, or an input error saying why it cannot be loaded.
  static func loadBundled() throws -> Catalog {
    do {
      return try Catalog.bundled()
    } catch {
      throw InputError("catalog.unreadable", "cannot load the shipped catalog: \(error.message)")
    }
  }

  static func info(_ metadata: CatalogMetadata) -> JSONOutput {
    .object([
      ("source", .string(metadata.source)), ("commit", .optional(metadata.commit)),
      ("packageVersion", .optional(metadata.packageVersion)), ("dataDate", .optional(metadata.dataDate)),
      ("services", .int(metadata.serviceCount)), ("actions", .int(metadata.actionCount)),
      ("resourceTypes", .int(metadata.resourceTypeCount)), ("conditionKeys", .int(metadata.conditionKeyCount)),
    ])
  }

  static func infoText(_ metadata: CatalogMetadata) -> String {
    """
    AWS Service Authorization Reference, as shipped with iamsim
      source:          \(metadata.source)\(metadata.commit.map { " @ \($0)" } ?? "")
      data date:       \(metadata.dataDate ?? "unknown")
      services:        \(metadata.serviceCount)
      actions:         \(metadata.actionCount)
      resource types:  \(metadata.resourceTypeCount)
      condition keys:  \(metadata.conditionKeyCount)

    """
  }

  private static func defaultOutput() -> String? {
    InputFile.foldersAbove([FileManager.default.currentDirectoryPath]).map { $0 + "/Sources/IAMCatalog/Resources" }
      .first { FileManager.default.fileExists(atPath: $0) }.map { $0 + "/service-authorization.catalog" }
  }
}
