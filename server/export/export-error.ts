// The error of a static mirror that cannot be written: a person's to fix (a folder taken, a manifest broken), shown in one line.

export class ExportError extends Error {
  override readonly name = 'ExportError'
}
