// Gzip moved to IAMCompression, shared with the embedded catalog and managed policies; re-exported so
// `import IAMActivity` keeps seeing it.
@_exported import IAMCompression
