import IAMPolicy

/// The JSON form of a CloudFormation template written in YAML: the short-form intrinsic function tags turned into
/// their long form, as AWS documents each function's "Syntax for the short form", positions kept.
///
/// From AWS's intrinsic function reference
/// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html):
///
/// | tag | long form |
/// | --- | --- |
/// | `!Ref x` | `{"Ref": x}` |
/// | `!Condition x` | `{"Condition": x}` |
/// | `!GetAtt a.b` | `{"Fn::GetAtt": ["a", "b"]}` (split at the first `.`: "`!GetAtt logicalNameOfResource.attributeName`") |
/// | `!GetAtt [a, b]` | `{"Fn::GetAtt": [a, b]}` |
/// | `!Base64`, `!Cidr`, `!FindInMap`, `!GetAZs`, `!ImportValue`, `!Join`, `!Select`, `!Split`, `!Sub`, `!Transform`, `!And`, `!Equals`, `!If`, `!Not`, `!Or` | `{"Fn::Name": value}` |
///
/// Scalars are resolved by the YAML 1.2 core schema (``YAMLNode/json()``), with three refusals where a template's
/// meaning would otherwise be a guess:
/// - a plain scalar that YAML 1.1 reads differently (`yes`, `no`, `on`, `off`, `y`, `n`, `0777`, `1_000`, `1:30`):
///   AWS's YAML announcement says CloudFormation "supports essentially all of YAML" but does not say which
///   version's scalar resolution it applies, and AWS documents nothing on `yes`/`no`/`on`/`off`; quoted, they
///   are strings in both;
/// - a number JSON cannot write (`0x1F`, `+1`, `.5`, `012345678901`);
/// - aliases (unless `allowingAliases`): AWS's announcement lists "hash merges, aliases, and some tags (binary,
///   imap, pairs, TIMESTAMP, and set)" as the exceptions to its YAML support. Merge keys are refused by
///   ``YAMLReader`` itself.
///
/// Unknown tags are refused with their line and column. A template written in JSON reads (JSON is YAML) to the
/// same value as ``JSONReader`` gives.
public enum CloudFormationYAML {
  /// The short-form tags and the long-form keys they stand for.
  public static let shortForms: [String: String] = [
    "!Ref": "Ref",
    "!Condition": "Condition",
    "!Base64": "Fn::Base64",
    "!Cidr": "Fn::Cidr",
    "!FindInMap": "Fn::FindInMap",
    "!GetAtt": "Fn::GetAtt",
    "!GetAZs": "Fn::GetAZs",
    "!ImportValue": "Fn::ImportValue",
    "!Join": "Fn::Join",
    "!Select": "Fn::Select",
    "!Split": "Fn::Split",
    "!Sub": "Fn::Sub",
    "!Transform": "Fn::Transform",
    "!And": "Fn::And",
    "!Equals": "Fn::Equals",
    "!If": "Fn::If",
    "!Not": "Fn::Not",
    "!Or": "Fn::Or",
  ]

  /// Converts a template read by ``YAMLReader`` to its JSON form.
  ///
  /// - Parameters:
  ///   - node: the template's root node.
  ///   - allowingAliases: accept nodes copied by aliases (CloudFormation refuses them; tools such as
  ///     `aws cloudformation package` resolve them first).
  /// - Throws: ``YAMLSyntaxError`` naming the line, column and JSON path of the first value refused.
  public static func json(from node: YAMLNode, allowingAliases: Bool = false) throws(YAMLSyntaxError) -> JSONValue {
    let conversion = YAMLJSONConversion(
      custom: { (node, path, conversion) throws(YAMLSyntaxError) -> JSONValue? in
        try intrinsic(node, path: path, conversion: conversion)
      },
      refusesYAML11Ambiguity: true)
    if !allowingAliases, let (alias, position, path) = firstAlias(in: node, path: .root) {
      throw YAMLSyntaxError(
        "the alias `*\(alias)`: CloudFormation does not accept YAML aliases in templates; write the value out",
        at: position, path: path)
    }
    return try conversion.convert(node, path: .root)
  }

  /// Reads a template (YAML or JSON) and converts it to its JSON form.
  public static func json(reading bytes: [UInt8], allowingAliases: Bool = false) throws(YAMLSyntaxError) -> JSONValue {
    try json(from: YAMLReader().read(bytes), allowingAliases: allowingAliases)
  }

  private static func firstAlias(in node: YAMLNode, path: JSONPath) -> (String, SourcePosition, JSONPath)? {
    if let alias = node.alias { return (alias, node.position, path) }
    switch node.kind {
    case .scalar: return nil
    case .sequence(let elements):
      for (offset, element) in elements.enumerated() {
        if let found = firstAlias(in: element, path: path.appending(offset)) { return found }
      }
    case .mapping(let members):
      for member in members {
        if let found = firstAlias(in: member.value, path: path.appending(member.key)) { return found }
      }
    }
    return nil
  }

  /// Converts a node with a short-form tag; `nil` for the standard `!!` tags and `!`.
  private static func intrinsic(
    _ node: YAMLNode, path: JSONPath, conversion: YAMLJSONConversion
  ) throws(YAMLSyntaxError) -> JSONValue? {
    guard let tag = node.tag, !tag.hasPrefix("!!"), tag != "!" else { return nil }
    guard let key = shortForms[tag] else {
      throw YAMLSyntaxError(
        "unknown tag `\(tag)`: CloudFormation's short forms are \(shortForms.keys.sorted().joined(separator: ", "))",
        at: node.position, path: path)
    }
    let position = node.position
    let innerPath = path.appending(key)
    var untagged = node
    untagged.tag = nil
    let argument: JSONValue
    switch (tag, node.kind) {
    case ("!Ref", .scalar), ("!Condition", .scalar):
      guard case .scalar(let text, _) = node.kind, !text.isEmpty else {
        throw YAMLSyntaxError("`\(tag)` needs a name", at: position, path: path)
      }
      argument = JSONValue(.string(text), at: position)
    case ("!Ref", _), ("!Condition", _):
      throw YAMLSyntaxError("`\(tag)` takes a name (a scalar), not a \(describe(node))", at: position, path: path)
    case ("!GetAtt", .scalar(let text, _)):
      // "Syntax for the short form: !GetAtt logicalNameOfResource.attributeName"; the attribute may itself hold
      // dots (`!GetAtt myELB.SourceSecurityGroup.OwnerAlias`), so the split is at the first one.
      guard let dot = text.firstIndex(of: "."), dot != text.startIndex, text.index(after: dot) != text.endIndex else {
        throw YAMLSyntaxError(
          "`!GetAtt` takes `logicalNameOfResource.attributeName` (or a two-element sequence), found `\(text)`",
          at: position, path: path)
      }
      argument = JSONValue(
        .array([
          JSONValue(.string(String(text[..<dot])), at: position),
          JSONValue(.string(String(text[text.index(after: dot)...])), at: position),
        ]), at: position)
    case ("!GetAtt", .sequence(let elements)):
      guard elements.count == 2 else {
        throw YAMLSyntaxError(
          "`!GetAtt` takes two elements, the logical name and the attribute name; found \(elements.count)",
          at: position, path: path)
      }
      argument = try conversion.convert(untagged, path: innerPath)
    case ("!GetAtt", _):
      throw YAMLSyntaxError("`!GetAtt` takes `name.attribute` or a sequence, not a mapping", at: position, path: path)
    default:
      argument = try conversion.convert(untagged, path: innerPath)
    }
    return JSONValue(.object([JSONValue.Member(key: key, keyPosition: position, value: argument)]), at: position)
  }

  private static func describe(_ node: YAMLNode) -> String {
    switch node.kind {
    case .scalar: "scalar"
    case .sequence: "sequence"
    case .mapping: "mapping"
    }
  }
}
