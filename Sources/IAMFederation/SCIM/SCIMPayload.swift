import IAMPolicy

/// One JSON value of an input file that the validator treats as a unit: a SCIM request body or `aws identitystore` output.
struct SCIMPayload {
  enum Kind {
    case user, group, patch, cliUsers, cliGroups, cliMemberships, unrecognized
  }

  var kind: Kind
  var value: JSONValue
  var path: JSONPath

  /// Splits a file's root value into payloads: arrays and SCIM `ListResponse`s are taken apart.
  static func payloads(in root: JSONValue, path: JSONPath = .root) -> [SCIMPayload] {
    if let elements = root.elements {
      return elements.enumerated().flatMap { payloads(in: $1, path: path.appending($0)) }
    }
    if schemas(of: root).contains(SCIMSchema.listSchema.lowercased()), let resources = root.member("Resources") {
      let resourcesPath = path.appending(resources.key)
      return (resources.value.elements ?? []).enumerated().map {
        SCIMPayload(kind: kind(of: $1), value: $1, path: resourcesPath.appending($0))
      }
    }
    return [SCIMPayload(kind: kind(of: root), value: root, path: path)]
  }

  private static func kind(of value: JSONValue) -> Kind {
    guard let members = value.members else { return .unrecognized }
    let schemas = schemas(of: value)
    let keys = Set(members.map(\.key))
    if schemas.contains(SCIMSchema.patchSchema.lowercased()) || value.member("Operations") != nil { return .patch }
    if schemas.contains(SCIMSchema.userSchema.lowercased()) { return .user }
    if schemas.contains(SCIMSchema.groupSchema.lowercased()) { return .group }
    if keys.contains("Users") { return .cliUsers }
    if keys.contains("Groups") { return .cliGroups }
    if keys.contains("GroupMemberships") { return .cliMemberships }
    if keys.contains("UserName") && keys.contains("UserId") { return .cliUsers }
    if keys.contains("DisplayName") && keys.contains("GroupId") { return .cliGroups }
    if value.member("userName") != nil { return .user }
    if value.member("displayName") != nil && value.member("members") != nil { return .group }
    return .unrecognized
  }

  private static func schemas(of value: JSONValue) -> [String] {
    value.value("schemas")?.elements?.compactMap { $0.stringValue?.lowercased() } ?? []
  }
}
