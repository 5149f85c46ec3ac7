// Where `herald user` gets a password: all of stdin when it is a pipe, or a prompt that does not echo on a terminal.
import { createInterface } from 'node:readline'
import { Writable } from 'node:stream'
import { CliError } from './errors.js'

export interface PasswordStreams {
  /** Standard input; a terminal when isTTY is true. */
  input: NodeJS.ReadableStream & { isTTY?: boolean }
  /** Where prompts go: standard error, so that standard output stays for results. */
  prompts: NodeJS.WritableStream
}

// A password is at most a few hundred bytes: anything much longer is the wrong file piped in.
const maxPipedBytes = 64 * 1024

/**
 * Reads the whole of a piped stdin as the password, less ONE trailing line break (`printf 'pw\n'`
 * and `echo pw` both give "pw"; spaces and a second line break are kept, as typed).
 */
async function readPipedPassword (input: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of input) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    size += buffer.length
    if (size > maxPipedBytes) throw new CliError('standard input is too long to be a password')
    chunks.push(buffer)
  }
  const text = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '')
  if (text === '') throw new CliError('no password on standard input: pipe one in, as in printf \'%s\' "$PASSWORD" | herald user ...')
  return text
}

/**
 * Asks questions on a terminal without echoing the answers: readline writes the prompt and then
 * everything typed to an output that is muted once the prompt is out.
 */
async function promptHidden (streams: PasswordStreams, questions: string[]): Promise<string[]> {
  let muted = false
  const output = new Writable({
    write (chunk: Buffer, _encoding, callback) {
      if (!muted) streams.prompts.write(chunk)
      callback()
    }
  })
  const readline = createInterface({ input: streams.input, output, terminal: true })
  const answers: string[] = []
  try {
    for (const question of questions) {
      answers.push(await new Promise<string>((resolve, reject) => {
        const cancel = (): void => reject(new CliError('cancelled; nothing changed'))
        readline.once('SIGINT', cancel)
        readline.once('close', cancel)
        muted = false
        readline.question(question, (answer) => {
          readline.off('SIGINT', cancel)
          readline.off('close', cancel)
          resolve(answer)
        })
        muted = true
      }))
      // The Enter key's line break was muted with the rest.
      streams.prompts.write('\n')
    }
  } finally {
    readline.close()
  }
  return answers
}

/** The new password: piped in, or typed twice on a terminal (the two must match). */
export async function readNewPassword (streams: PasswordStreams, userName: string): Promise<string> {
  if (streams.input.isTTY !== true) return await readPipedPassword(streams.input)
  const [password, again] = await promptHidden(streams, [`Password for ${userName}: `, 'The same password again: '])
  if (password === undefined || password === '') throw new CliError('no password typed; nothing changed')
  if (password !== again) throw new CliError('the two passwords differ; nothing changed')
  return password
}
