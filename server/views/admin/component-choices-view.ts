// View model of the component selects on incident forms: one select per component, with its current status.
import type { Component } from '../../domain/model.js'
import { componentStatusClass, componentStatusLabel } from '../format.js'
import { type FieldErrors, type OptionView, componentStatusOptions } from './form-view.js'

export interface ComponentChoiceView {
  id: number
  /** The select's name: component-<id>. */
  field: string
  /** The hidden field with the status shown when the page was made: was-<id> (update forms). */
  wasField: string
  was: string
  name: string
  groupName: string | null
  currentLabel: string
  currentClass: string
  options: OptionView[]
  error: string | null
  /** Touched by the incident already: listed first, and proposed back to operational on resolve. */
  affected: boolean
}

function componentField (id: number): string {
  return `component-${id}`
}

function wasField (id: number): string {
  return `was-${id}`
}

export interface ComponentChoicesInput {
  /**
   * 'new': every select starts at "no change". 'update': every select starts at the component's
   * current status, and a change is a choice that differs from what the page showed.
   */
  mode: 'new' | 'update'
  /** What was submitted, by field name, when the form is shown again. */
  typed?: Record<string, string>
  /** The statuses the page showed when it was first made, by component id (kept across a failed submit). */
  was?: Record<string, string>
  /** Statuses to propose instead of the current ones, by component id (resolve proposes operational). */
  proposed?: Record<number, string>
  affectedIds?: ReadonlySet<number>
  errors?: FieldErrors
}

/** The selects in page order, the components an incident already affects first. */
export function componentChoices (components: Component[], input: ComponentChoicesInput): ComponentChoiceView[] {
  const choices = components.map((component): ComponentChoiceView => {
    const field = componentField(component.id)
    const was = input.was?.[component.id] ?? component.status
    const start = input.mode === 'new' ? '' : input.proposed?.[component.id] ?? was
    const selected = input.typed?.[field] ?? start
    return {
      id: component.id,
      field,
      wasField: wasField(component.id),
      was,
      name: component.name,
      groupName: component.groupName,
      currentLabel: componentStatusLabel(component.status),
      currentClass: componentStatusClass(component.status),
      options: componentStatusOptions(selected, input.mode === 'new'),
      error: input.errors?.[field] ?? null,
      affected: input.affectedIds?.has(component.id) ?? false
    }
  })
  return [...choices.filter((c) => c.affected), ...choices.filter((c) => !c.affected)]
}
