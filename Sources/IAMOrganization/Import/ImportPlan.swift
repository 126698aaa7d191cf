import Foundation

/// The files an import writes, computed from the exports and the directory added to, without touching the disk.
struct ImportPlan {
  /// Files to write, by path relative to the directory.
  var files: [String: [UInt8]] = [:]
  /// Files of the directory added to that the exports replace under another name.
  var removed: Set<String> = []
  var warnings: [Diagnostic] = []
  var errors: [Diagnostic] = []
  var missing: [MissingPart] = []

  init(records: [ExportRecord], existing: ExistingDirectory?) {
    let model = ImportModel(records)
    exports(records, existing: existing)
    let details = authorizationDetails(model)
    let kept = (existing?.accountsWithIAM ?? []).subtracting(model.authorizationPages.keys)
    let collected = Set(model.authorizationPages.keys).union(kept)
    var roles = details.roles
    for account in kept.sorted() where existing?.files.contains("accounts/\(account)/authorization-details.json") == true {
      let path = existing!.path + "/accounts/\(account)/authorization-details.json"
      roles[account] = ((try? InputFile.readJSON(path))?["RoleDetailList"]?.elements ?? []).compactMap(Self.role)
    }
    // Suffixes only of the permission sets the directory has: the loader refuses others.
    var names: [String: String] = [:]
    for set in model.described.values { names[set.name.lowercased()] = set.name }
    for set in existing?.permissionSets ?? [] { if let name = set.name, names[name.lowercased()] == nil { names[name.lowercased()] = name } }
    var (suffixes, region) = identityCenterRoles(roles, model: model)
    for (account, list) in suffixes {
      suffixes[account] = Dictionary(list.compactMap { name, suffix in names[name.lowercased()].map { ($0, suffix) } },
                                     uniquingKeysWith: { first, _ in first })
    }
    var center: [(String, JSONOutput)] = []
    if let region { center.append(("region", .string(region))) }
    if let instance = model.instance?.arn { center.append(("instanceArn", .string(instance))) }
    if let store = model.identityStoreId { center.append(("identityStoreId", .string(store))) }
    var mentioned = Set(model.assignments.map(\.account)).union(model.grants.map(\.account))
    for accounts in model.provisioned.values { mentioned.formUnion(accounts) }
    var tree = OrganizationFileBuilder(model: model, existing: existing?.organization, collected: collected, suffixes: suffixes,
                                       mentioned: mentioned, identityCenter: center)
    files["organization.json"] = Self.render(tree.build())
    warnings += tree.warnings
    policies(model)
    permissionSets(model, existing: existing)
    assignments(model, existing: existing)
    identityStore(model, existing: existing)
    if let configuration = model.accessControl { files["access-control-attributes.json"] = Self.render(configuration) }
    if model.accessControlRead, model.accessControl == nil, existing?.files.contains("access-control-attributes.json") == true {
      removed.insert("access-control-attributes.json")
    }
    accountAccess(model, roles: roles, collected: collected)
    let keepsAccountAccess = existing?.files.contains("account-access.json") == true && files["account-access.json"] == nil
    missing = MissingParts(model: model, tree: tree, region: region, collected: collected, truncated: details.truncated,
                           keepsAccountAccess: keepsAccountAccess).parts
  }

  static func render(_ output: JSONOutput) -> [UInt8] {
    Array((output.rendered(pretty: true) + "\n").utf8)
  }

  // MARK: - Exports kept

  /// `exports/KEY.json` for every export read (pages `KEY.pageN.json`); stored exports that new ones replaced go.
  private mutating func exports(_ records: [ExportRecord], existing: ExistingDirectory?) {
    var pages: [String: Int] = [:]
    for record in records {
      let count = (pages[record.key] ?? 0) + 1
      pages[record.key] = count
      let name = Self.safeName(record.key) + (count == 1 ? "" : ".page\(count)")
      files["\(ExistingDirectory.exportsFolder)/\(name).json"] = record.bytes
    }
    for file in existing?.storedExports ?? [] where files[file] == nil { removed.insert(file) }
  }

  /// A key as a file name: characters other than letters, digits and `.+-_@=,` become `_`.
  static func safeName(_ key: String) -> String {
    String(key.map { $0.isASCII && ($0.isLetter || $0.isNumber || ".+-_@=,".contains($0)) ? $0 : "_" })
  }

  // MARK: - Control policies

  private mutating func policies(_ model: ImportModel) {
    for (id, document) in model.documents where !OrganizationFileBuilder.fullAccess.values.contains(id) {
      files["policies/\(Self.safeName(id)).json"] = Self.render(document)
    }
  }
}
