// Argument parsing for one command: node:util parseArgs, with its mistakes turned into usage errors.
import { type ParseArgsConfig, parseArgs } from 'node:util'
import { UsageError } from './errors.js'

type Options = NonNullable<ParseArgsConfig['options']>

export interface ParsedArgs<T extends Options> {
  values: { [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : string }
  positionals: string[]
}

/** Parses strictly: an unknown option or a stray argument is a UsageError naming the command. */
export function parseCommandArgs<T extends Options> (command: string, args: string[], options: T, allowPositionals = false): ParsedArgs<T> {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals, strict: true })
    return { values: values as ParsedArgs<T>['values'], positionals }
  } catch (error) {
    if (error instanceof TypeError && String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS')) {
      throw new UsageError(`${command}: ${error.message}`)
    }
    throw error
  }
}
