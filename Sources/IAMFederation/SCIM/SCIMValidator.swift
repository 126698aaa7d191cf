import IAMPolicy

/// One JSON file given to the validator.
public struct SCIMInput: Sendable, Hashable {
  /// The file name, used in findings.
  public var name: String
  /// The file's bytes (UTF-8 JSON).
  public var bytes: [UInt8]

  /// Creates an input.
  public init(name: String, bytes: [UInt8]) {
    self.name = name
    self.bytes = bytes
  }
}

/// Validates SCIM 2.0 payloads as Entra ID sends them to IAM Identity Center, against an identity store loaded
/// from `aws identitystore list-users`, `list-groups` and `list-group-memberships` output (S-1 … S-12).
public struct SCIMValidator: Sendable {
  /// The users and groups that exist before any payload is applied.
  public var existing: IdentityStore

  /// Creates a validator.
  public init(existing: IdentityStore = IdentityStore()) {
    self.existing = existing
  }

  /// Validates every payload of every file. `aws identitystore` output is loaded first; SCIM payloads are then
  /// checked in order, each against the store as the earlier payloads left it.
  ///
  /// - Throws: ``JSONInputError`` when a file is not JSON.
  public func validate(_ inputs: [SCIMInput]) throws(JSONInputError) -> SCIMReport {
    var files: [(String, [SCIMPayload])] = []
    for input in inputs {
      do {
        files.append((input.name, SCIMPayload.payloads(in: try JSONReader().read(input.bytes))))
      } catch {
        throw JSONInputError(file: input.name, error.message, position: error.position)
      }
    }
    var store = existing
    var results: [SCIMPayloadResult] = []
    // Users and groups first, so that memberships find their groups whatever the file order.
    for memberships in [false, true] {
      for (file, payloads) in files {
        for payload in payloads where (payload.kind == .cliMemberships) == memberships {
          if let result = IdentityStoreOutput.load(payload, file: file, into: &store) { results.append(result) }
        }
      }
    }
    for (file, payloads) in files {
      for payload in payloads where !IdentityStoreOutput.isOutput(payload) {
        results.append(Self.check(payload, file: file, store: &store))
      }
    }
    return SCIMReport(payloads: results, store: store)
  }

  private static func check(_ payload: SCIMPayload, file: String, store: inout IdentityStore) -> SCIMPayloadResult {
    var context = SCIMContext(file: file, root: payload.path)
    let kind: SCIMPayloadResult.Kind
    switch payload.kind {
    case .user:
      kind = .user
      SCIMUserRules.check(payload.value, &context)
      let user = IdentityStoreUser(scim: payload.value)
      SCIMUniqueness.check(user, payload: payload.value, store: store, &context)
      if !context.findings.containsErrors { store.put(user) }
    case .group:
      kind = .group
      SCIMGroupRules.check(payload.value, store: store, &context)
      let group = IdentityStoreGroup(scim: payload.value)
      SCIMUniqueness.check(group, payload: payload.value, store: store, &context)
      if !context.findings.containsErrors { store.put(group) }
    case .patch:
      let target = SCIMPatchRules.target(of: payload.value)
      kind = target == .user ? .userPatch : target == .group ? .groupPatch : .patch
      SCIMPatchRules.check(payload.value, target: target, store: store, &context)
    case .unrecognized, .cliUsers, .cliGroups, .cliMemberships:
      kind = .unrecognized
      context.add(
        .scimUnrecognizedPayload,
        "this \(payload.value.typeName) is not a scim user, group, patch request or list, nor aws identitystore output",
        at: [], payload.value)
    }
    return SCIMPayloadResult(
      file: file, jsonPath: payload.path, position: payload.value.position, kind: kind, subject: context.subject,
      findings: context.findings.stableSortedBySeverity())
  }
}
