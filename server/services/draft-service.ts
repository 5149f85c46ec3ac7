// Draft incidents, a person's or a monitor's: write, change, note, discard, and publish one as an ordinary incident.
import type { IncidentWithUpdates } from '../domain/model.js'
import type { IncidentDraft } from '../domain/monitors.js'
import { type ComponentStatus, type Impact, componentStatuses, impacts } from '../domain/statuses.js'
import { isTypedText, limits } from '../domain/text.js'
import type { DraftFields } from '../store/drafts-store.js'
import { type ServiceContext, nowIso, read, write } from './context.js'
import { InvalidInputError, NotFoundError } from './errors.js'
import type { IncidentService } from './incident-service.js'
import { checkedComponentId } from './update-writer.js'

/** What a draft says: what opening the incident would say, without a reference (taken when it is published). */
export interface DraftInput {
  name: string
  body: string
  /** investigating unless given. */
  status?: IncidentDraft['status']
  /** null or absent: follows the worst component status given, as an opened incident's does. */
  impact?: Impact | null
  /** Component id to the status the incident gives it when published. */
  components?: Record<string, ComponentStatus>
}

/** What is chosen when a draft is published rather than kept with it, as opening an incident takes them. */
export interface PublishOptions {
  /** The incident's reference; the next from the prefix when absent. */
  reference?: string
  notify?: boolean
  postText?: string | null
}

/** The statuses a draft may have: an incident not yet told is not resolved. */
export const draftStatuses = ['investigating', 'identified', 'monitoring'] as const satisfies ReadonlyArray<IncidentDraft['status']>

/** More components than any page holds is a mistake (as the token API's limit for one update). */
const maxComponents = 500
/** A monitor's note grows with each thing it sees (recovered, down again): its oldest lines go past this. */
export const maxNoteLength = 4_000

export class DraftService {
  readonly #context: ServiceContext
  readonly #incidents: IncidentService

  constructor (context: ServiceContext, incidents: IncidentService) {
    this.#context = context
    this.#incidents = incidents
  }

  /** Every draft, newest first. */
  list (): IncidentDraft[] {
    return this.#context.stores.drafts.list()
  }

  count (): number {
    return this.#context.stores.drafts.count()
  }

  /** The draft with this id, or undefined when there is none (published or discarded since). */
  find (id: number): IncidentDraft | undefined {
    return this.#context.stores.drafts.get(id)
  }

  get (id: number): IncidentDraft {
    const draft = this.#context.stores.drafts.get(id)
    if (draft === undefined) throw new NotFoundError(`no draft with id ${id}`)
    return draft
  }

  /**
   * Saves a draft: nothing is public, posted or told, and no reference is taken. `from` makes it a
   * monitor's (the monitor's id, and what it noted); the actor is then `monitor:<name>`.
   */
  create (input: DraftInput, actor: string, from?: { monitorId: number, note?: string }): IncidentDraft {
    const context = this.#context
    const fields = this.#checked(input)
    const note = from?.note === undefined ? null : checkedNote(from.note)
    const at = nowIso(context)
    const id = write(context, () => {
      const { drafts, audit } = context.stores
      const id = drafts.insert({ ...fields, monitorId: from?.monitorId ?? null, note, createdBy: actor, at })
      audit.record({ at, actor, action: 'draft.create', incidentId: null, detail: { id, name: fields.name, status: fields.status, monitorId: from?.monitorId ?? null } })
      return id
    }, { public: false })
    return this.get(id)
  }

  /** Replaces what the draft says (its note, monitor and maker stay). */
  update (id: number, input: DraftInput, actor: string): IncidentDraft {
    const context = this.#context
    const fields = this.#checked(input)
    const at = nowIso(context)
    write(context, () => {
      const { drafts, audit } = context.stores
      const before = this.get(id)
      drafts.update(id, fields, at)
      audit.record({
        at,
        actor,
        action: 'draft.update',
        incidentId: null,
        detail: { id, before: { name: before.name, body: before.body, status: before.status, impact: before.impact, components: before.components }, after: fields }
      })
    }, { public: false })
    return this.get(id)
  }

  /**
   * Appends a line to the draft's note (a monitor's "recovered at …"), on a line of its own; the oldest
   * lines go once it passes maxNoteLength. Not audited: it is the monitor's own bookkeeping, recorded in its events.
   */
  addNote (id: number, note: string): void {
    const context = this.#context
    const line = checkedNote(note)
    const at = nowIso(context)
    write(context, () => {
      const { drafts } = context.stores
      const draft = this.get(id)
      drafts.setNote(id, trimmedNote(draft.note === null ? line : `${draft.note}\n${line}`), at)
    }, { public: false })
  }

  discard (id: number, actor: string): void {
    const context = this.#context
    const at = nowIso(context)
    write(context, () => {
      const { drafts, audit } = context.stores
      const draft = this.get(id)
      drafts.remove(id)
      audit.record({ at, actor, action: 'draft.discard', incidentId: null, detail: { id, name: draft.name, createdBy: draft.createdBy } })
    }, { public: false })
  }

  /**
   * Opens the incident the draft describes (with `edits` instead, when given) and removes the draft, in one
   * write: the incident is an ordinary one (its reference taken now, its posts and subscribers' messages
   * queued, `incident.open` audited; a reference, whether to notify and a post text are chosen now) and a refusal leaves the draft as it was and opens nothing. A monitor's
   * draft starts when the monitor made it (when it saw the failure); a person's when it is published.
   */
  publish (id: number, actor: string, edits?: DraftInput, options: PublishOptions = {}): IncidentWithUpdates {
    const context = this.#context
    const edited = edits === undefined ? undefined : this.#checked(edits)
    const at = nowIso(context)
    return write(context, () => {
      const { drafts, audit } = context.stores
      const draft = this.get(id)
      const fields: DraftFields = edited ?? draft
      const incident = this.#incidents.open({
        name: fields.name,
        body: fields.body,
        status: fields.status,
        ...(fields.impact === null ? {} : { impact: fields.impact }),
        components: fields.components,
        ...(options.reference === undefined ? {} : { reference: options.reference }),
        ...(options.notify === undefined ? {} : { notify: options.notify }),
        ...(options.postText === undefined ? {} : { postText: options.postText }),
        ...(draft.monitorId === null ? {} : { startedAt: draft.createdAt })
      }, actor)
      drafts.remove(id)
      audit.record({
        at,
        actor,
        action: 'draft.publish',
        incidentId: incident.id,
        detail: { id, reference: incident.reference, name: incident.name, createdBy: draft.createdBy, edited: edited !== undefined }
      })
      return incident
    })
  }

  /** The draft as it would be published, checked by the rules of opening an incident (a 400 naming the field). */
  #checked (input: DraftInput): DraftFields {
    if (!isTypedText(input.name, 'one', limits.name)) {
      throw new InvalidInputError(`name must be one line of 1 to ${limits.name} characters that shows something, without control characters`, { field: 'name' })
    }
    if (!isTypedText(input.body, 'many', limits.body)) {
      throw new InvalidInputError(`body must be 1 to ${limits.body} characters that show something, without control characters other than tab and line breaks`, { field: 'body' })
    }
    const status = input.status ?? 'investigating'
    if (!(draftStatuses as readonly string[]).includes(status)) {
      throw new InvalidInputError(`status of a draft must be ${draftStatuses.join(', ')}: an incident is resolved once published`, { field: 'status' })
    }
    const impact = input.impact ?? null
    if (impact !== null && !(impacts as readonly string[]).includes(impact)) throw new InvalidInputError(`impact must be one of ${impacts.join(', ')}`, { field: 'impact' })
    const entries = Object.entries(input.components ?? {})
    if (entries.length > maxComponents) throw new InvalidInputError(`components: at most ${maxComponents}`, { field: 'components' })
    const components: Record<string, ComponentStatus> = {}
    read(this.#context, () => {
      for (const [key, componentStatus] of entries) {
        if (!(componentStatuses as readonly string[]).includes(componentStatus)) {
          throw new InvalidInputError(`components: ${String(componentStatus)} is not a component status`, { field: 'components' })
        }
        components[String(checkedComponentId(this.#context, key))] = componentStatus
      }
    })
    return { name: input.name, body: input.body, status, impact, components }
  }
}

function checkedNote (note: string): string {
  if (!isTypedText(note, 'many', maxNoteLength)) throw new InvalidInputError(`note must be 1 to ${maxNoteLength} characters that show something`, { field: 'note' })
  return note
}

/** The note without its oldest lines, until it fits. */
function trimmedNote (note: string): string {
  let lines = note.split('\n')
  while (lines.length > 1 && [...lines.join('\n')].length > maxNoteLength) lines = lines.slice(1)
  return lines.join('\n')
}
