// Incident templates: create, change and delete the presets of the new-incident form, and fill in their placeholder.
import type { IncidentTemplate, TemplateFields } from '../domain/incident-templates.js'
import { type ServiceContext, nowIso } from './context.js'
import { ConflictError, NotFoundError } from './errors.js'
import { checkedComponentId } from './update-writer.js'

/** The placeholder a template's title and message use for the affected components. */
export const componentPlaceholder = '{component}'

/** "Chat", "Chat and Calls", "Chat, Calls and Meetings". */
function joinNames (names: string[]): string {
  if (names.length <= 1) return names[0] ?? ''
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1) as string}`
}

/** The text with every {component} replaced by the names given; unchanged when there are none. */
export function fillPlaceholder (text: string, componentNames: string[]): string {
  if (componentNames.length === 0) return text
  return text.split(componentPlaceholder).join(joinNames(componentNames))
}

export class TemplateService {
  readonly #context: ServiceContext

  constructor (context: ServiceContext) {
    this.#context = context
  }

  list (): IncidentTemplate[] {
    return this.#context.stores.incidentTemplates.list()
  }

  get (id: number): IncidentTemplate {
    const template = this.#context.stores.incidentTemplates.get(id)
    if (template === undefined) throw new NotFoundError(`no template with id ${id}`)
    return template
  }

  create (fields: TemplateFields, actor: string): IncidentTemplate {
    const id = this.#transaction((at) => {
      const { incidentTemplates, audit } = this.#context.stores
      this.#checkName(fields.name, null)
      this.#checkComponents(fields)
      const id = incidentTemplates.insert(fields, at)
      audit.record({ at, actor, action: 'template.create', incidentId: null, detail: { id, ...fields } })
      return id
    })
    return this.get(id)
  }

  update (id: number, fields: TemplateFields, actor: string): IncidentTemplate {
    this.#transaction((at) => {
      const { incidentTemplates, audit } = this.#context.stores
      const before = this.get(id)
      this.#checkName(fields.name, id)
      this.#checkComponents(fields)
      incidentTemplates.update(id, fields, at)
      const { name, title, body, status, impact, componentStatuses } = before
      audit.record({ at, actor, action: 'template.edit', incidentId: null, detail: { id, before: { name, title, body, status, impact, componentStatuses }, after: fields } })
    })
    return this.get(id)
  }

  remove (id: number, actor: string): IncidentTemplate {
    return this.#transaction((at) => {
      const { incidentTemplates, audit } = this.#context.stores
      const template = this.get(id)
      incidentTemplates.remove(id)
      audit.record({ at, actor, action: 'template.delete', incidentId: null, detail: { id, name: template.name } })
      return template
    })
  }

  /** The components a template presets must exist (not deleted): a 400 naming the first that does not. */
  #checkComponents (fields: TemplateFields): void {
    for (const id of Object.keys(fields.componentStatuses ?? {})) checkedComponentId(this.#context, id)
  }

  #checkName (name: string, ownId: number | null): void {
    const existing = this.#context.stores.incidentTemplates.byName(name)
    if (existing !== undefined && existing.id !== ownId) throw new ConflictError(`a template named ${existing.name} already exists`)
  }

  /**
   * One IMMEDIATE transaction for the template and its audit entry. Not `write`: templates are not on the
   * public page, so the public caches need not be rebuilt.
   */
  #transaction<T> (work: (at: string) => T): T {
    const { db } = this.#context.stores
    const at = nowIso(this.#context)
    return db.transaction(() => work(at)).immediate()
  }
}
