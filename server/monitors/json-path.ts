// The http check's JSON-path condition: the value at a path of the body, compared as text; no script in paths (eval off).
import { JSONPath } from 'jsonpath-plus'

function shown (value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)
}

function quoted (text: string): string {
  return JSON.stringify(text.length > 100 ? `${text.slice(0, 99)}…` : text)
}

/** Why the value at `path` of the JSON `body` is not `equals` (compared as text: 200 equals "200"), or null. */
export function jsonPathProblem (body: string, condition: { path: string, equals: string }): string | null {
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return `body is not JSON (json path ${condition.path})`
  }
  let value: unknown
  try {
    // eval: false refuses filter scripts ([?(...)]): a path is data, never code run in Herald.
    value = JSONPath({ path: condition.path, json: json as object, eval: false, wrap: false })
  } catch (error) {
    return `json path ${condition.path}: ${error instanceof Error ? error.message : String(error)}`
  }
  if (value === undefined) return `json path ${condition.path} found nothing`
  const text = shown(value)
  return text === condition.equals ? null : `${condition.path} is ${quoted(text)}, expected ${quoted(condition.equals)}`
}
