// Limits and character rules for what people type, shared by the API schemas and the admin forms.

export const limits = {
  name: 200,
  body: 20_000,
  description: 1_000,
  groupName: 100,
  tokenName: 64
} as const

// C0 controls and DEL are never meaningful in a one-line field; a name must also show something.
// The look-ahead form keeps matching linear in the length (a pattern like x*y x* would backtrack).
export const singleLinePattern = '^(?=[^\\u0000-\\u001F\\u007F]*?[^\\s\\u0000-\\u001F\\u007F])[^\\u0000-\\u001F\\u007F]*$'
// Multi-line text keeps tab, line feed and carriage return; other controls are refused; it must show something.
export const multiLinePattern = '^(?=[\\s\\S]*?[^\\s\\u0000-\\u001F\\u007F])[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]*$'
// An optional description may be empty.
export const optionalMultiLinePattern = '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]*$'

/** Characters XML 1.0 forbids (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF). */
// eslint-disable-next-line no-control-regex
const xmlForbidden = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

export function stripXmlForbidden (text: string): string {
  return text.replace(xmlForbidden, '')
}
