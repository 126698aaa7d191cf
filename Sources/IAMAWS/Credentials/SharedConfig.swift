import Foundation

/// The AWS CLI's shared files, read as botocore reads them: `~/.aws/config` (or `AWS_CONFIG_FILE`), whose
/// profiles are `[default]` and `[profile NAME]` and whose SSO sessions are `[sso-session NAME]`, and
/// `~/.aws/credentials` (or `AWS_SHARED_CREDENTIALS_FILE`), whose sections are profile names. A profile's settings
/// are the config file's, overridden key by key by the credentials file's.
struct SharedConfig: Sendable {
  /// The config file's path, and its profiles and SSO sessions.
  var configPath: String
  var configProfiles: [String: [String: String]] = [:]
  var ssoSessions: [String: [String: String]] = [:]
  /// `[NAME]` sections of the config file that are not profiles (the `profile ` prefix is missing).
  var unprefixedSections: Set<String> = []
  /// The credentials file's path and its profiles.
  var credentialsPath: String
  var credentialsProfiles: [String: [String: String]] = [:]

  /// Reads both files; a missing file is empty.
  static func load(environment: [String: String], homeDirectory: String) throws(AWSError) -> SharedConfig {
    let configPath = expand(environment["AWS_CONFIG_FILE"] ?? "~/.aws/config", home: homeDirectory)
    let credentialsPath = expand(environment["AWS_SHARED_CREDENTIALS_FILE"] ?? "~/.aws/credentials", home: homeDirectory)
    var config = SharedConfig(configPath: configPath, credentialsPath: credentialsPath)
    if let file = try read(configPath) {
      for section in file.sections {
        let name = section.name
        if name == "default" {
          if config.configProfiles["default"] == nil { config.configProfiles["default"] = section.values }
        } else if let profile = prefixed(name, "profile") {
          config.configProfiles[profile] = section.values
        } else if let session = prefixed(name, "sso-session") {
          config.ssoSessions[session] = section.values
        } else {
          config.unprefixedSections.insert(name)
        }
      }
    }
    if let file = try read(credentialsPath) {
      for section in file.sections { config.credentialsProfiles[section.name] = section.values }
    }
    return config
  }

  /// The profile's settings: the config file's, then the credentials file's over them; `nil` if neither file has it.
  func profile(_ name: String) -> [String: String]? {
    let fromConfig = configProfiles[name]
    let fromCredentials = credentialsProfiles[name]
    guard fromConfig != nil || fromCredentials != nil else { return nil }
    return (fromConfig ?? [:]).merging(fromCredentials ?? [:]) { _, new in new }
  }

  /// The name after `prefix` and spaces, without quotes (`profile "my dev"` → `my dev`).
  private static func prefixed(_ section: String, _ prefix: String) -> String? {
    guard section.hasPrefix(prefix + " ") || section.hasPrefix(prefix + "\t") else { return nil }
    var name = section.dropFirst(prefix.count).trimmingWhitespace
    if name.count >= 2, let first = name.first, first == "\"" || first == "'", name.last == first {
      name = String(name.dropFirst().dropLast())
    }
    return name.isEmpty ? nil : name
  }

  private static func read(_ path: String) throws(AWSError) -> INIFile? {
    guard let data = FileManager.default.contents(atPath: path) else {
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
        throw AWSError.credentials("cannot read \(path)")
      }
      return nil
    }
    do {
      return try INIFile.parse(String(decoding: data, as: UTF8.self))
    } catch {
      throw AWSError.credentials("\(path):\(error.line): \(error.message)")
    }
  }

  /// `~` or `~/…` made absolute with `home`.
  static func expand(_ path: String, home: String) -> String {
    if path == "~" { return home }
    if path.hasPrefix("~/") { return (home.hasSuffix("/") ? String(home.dropLast()) : home) + path.dropFirst() }
    return path
  }
}

extension AWSError {
  /// A credentials error (code `Credentials`): what is missing or wrong, never a secret.
  static func credentials(_ message: String, operation: String = "credentials") -> AWSError {
    AWSError(code: "Credentials", message: message, operation: operation)
  }
}
