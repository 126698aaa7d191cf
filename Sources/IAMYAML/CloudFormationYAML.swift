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
/// | `!GetAtt a.b` | `{"Fn::GetAtt": ["a", "b"]}`, split at the first `.` |
/// | `!GetAtt [a, b]` | `{"Fn::GetAtt": [a, b]}` |
/// | `!Base64`, `!Cidr`, `!FindInMap`, `!GetAZs`, `!GetStackOutput`, `!ImportValue`, `!Join`, | `{"Fn::Name": value}` |
/// | `!Select`, `!Split`, `!Sub`, `!Transform`, `!And`, `!Equals`, `!If`, `!Not`, `!Or` | |
///
/// `Fn::Length`, `Fn::ToJsonString` and `Fn::ForEach` have no short form in AWS's pages (only
/// `Fn::Length : Array`), so `!Length` and the like are refused as unknown tags. AWS's `Fn::GetStackOutput` page
/// says the short form cannot be used when a parameter value is itself a short form (`!Ref`, `!Sub`): such a
/// template is refused. A node carries one tag, so `!Base64 !Sub x` is a syntax error, as in YAML.
///
/// Scalars are resolved by the YAML 1.2 core schema (``YAMLNode/json()``), with three refusals where a template's
/// meaning would otherwise be a guess:
/// - a plain scalar that YAML 1.1 reads differently (`yes`, `no`, `on`, `off`, `y`, `n`, `0777`, `1_000`, `1:30`):
///   CloudFormation does not read `yes`/`no`/`on`/`off` as strings. Its template format page has said it
///   "supports the YAML Version 1.1 specification with a few exceptions", under which they are booleans, and a
///   user reported a tag value `yes` deployed as `true`; AWS documents no list of the YAML 1.1 forms its parser
///   resolves. Quoted, they are strings in both versions (see ``YAMLNode/coreValue``);
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
    "!GetStackOutput": "Fn::GetStackOutput",
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
    case ("!GetStackOutput", _):
      // "You can't use the short form of !GetStackOutput when it contains other short-form functions (such as
      // !Sub or !Ref) as parameter values. In that case, use the full function name" (AWS, Fn::GetStackOutput).
      if let nested = firstShortForm(inside: untagged) {
        throw YAMLSyntaxError(
          "`!GetStackOutput` cannot hold another short form (`\(nested.tag ?? "")`); "
            + "AWS requires `Fn::GetStackOutput:` then",
          at: nested.position, path: path)
      }
      argument = try conversion.convert(untagged, path: innerPath)
    case (_, .scalar(let text, _)):
      // A node with a tag is not resolved by the core schema: `!Sub 1`, `!GetAZs` (empty) hold the strings
      // "1" and "".
      argument = JSONValue(.string(text), at: position)
    default:
      argument = try conversion.convert(untagged, path: innerPath)
    }
    return JSONValue(.object([JSONValue.Member(key: key, keyPosition: position, value: argument)]), at: position)
  }

  private static func firstShortForm(inside node: YAMLNode) -> YAMLNode? {
    switch node.kind {
    case .scalar: return nil
    case .sequence(let elements):
      for element in elements {
        if let tag = element.tag, shortForms[tag] != nil { return element }
        if let found = firstShortForm(inside: element) { return found }
      }
    case .mapping(let members):
      for member in members {
        if let tag = member.value.tag, shortForms[tag] != nil { return member.value }
        if let found = firstShortForm(inside: member.value) { return found }
      }
    }
    return nil
  }

  private static func describe(_ node: YAMLNode) -> String {
    switch node.kind {
    case .scalar: "scalar"
    case .sequence: "sequence"
    case .mapping: "mapping"
    }
  }
}
