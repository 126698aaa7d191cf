import IAMPolicy

extension CollectResult {
  /// What `iamsim collect` prints: what was written, the calls made, and exactly what the snapshot lacks, with what
  /// that means for answers.
  public var report: String {
    let manifest = self.manifest
    var lines: [String] = []
    lines.append("collected into \(directory) as \(manifest.callerArn), region \(manifest.region), in \(format1(manifest.seconds)) s")
    let retries = "\(manifest.retries) throttled retr\(manifest.retries == 1 ? "y" : "ies")"
    lines.append("  \(manifest.totalCalls) API calls, \(retries); by action in \(directory)/\(CollectManifest.fileName)")
    lines.append("  \(manifest.accounts) accounts: IAM read in \(manifest.iamCollected.count), not collected in \(manifest.notCollected.count)")
    if !manifest.notCollected.isEmpty {
      lines.append("not collected (`\"iam\": \"not-collected\"`): \(CollectManifest.failClosed)")
      var byReason: [String: [String]] = [:]
      for entry in manifest.notCollected { byReason[entry.reason, default: []].append(entry.account) }
      for (reason, accounts) in byReason.sorted(by: { $0.value.first! < $1.value.first! }) {
        lines.append("  \(accounts.count == 1 ? "account" : "\(accounts.count) accounts") \(accounts.joined(separator: ", ")): \(reason)")
      }
    }
    for part in manifest.skipped { lines.append("skipped: \(part.what): \(part.why)") }
    // Accounts not collected are listed above, with why: their IAM export is not repeated as missing.
    let notCollected = Set(manifest.notCollected.map(\.account))
    let missing = manifest.missing.filter { accountOfIAMExport($0.file).map { !notCollected.contains($0) } ?? true }
    if !missing.isEmpty {
      lines.append("still missing (\(missing.count)):")
      for part in missing { lines.append("  - \(part.what)") }
    }
    for warning in warnings { lines.append(warning.formatted) }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The account of a `get-account-authorization-details.ACCOUNT.json` file name.
  private func accountOfIAMExport(_ file: String) -> String? {
    let parts = file.split(separator: ".")
    return parts.count == 3 && parts[0] == "get-account-authorization-details" ? String(parts[1]) : nil
  }
}

/// Seconds with one decimal.
private func format1(_ seconds: Double) -> String {
  let tenths = Int((seconds * 10).rounded())
  return "\(tenths / 10).\(tenths % 10)"
}
