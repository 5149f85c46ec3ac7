// View model of the new-incident form: fields, component selects, templates, preview and cross-posting state.
import type { IncidentTemplate } from '../../domain/incident-templates.js'
import type { Component } from '../../domain/model.js'
import { type ComponentChoiceView, type ComponentChoicesInput, componentChoices } from './component-choices-view.js'
import type { CrossPostingView } from './cross-posting-view.js'
import { type FieldErrors, type OptionView, impactOptions, incidentStatusOptions } from './form-view.js'
import type { PreviewView } from './preview-view.js'

export interface NewIncidentValues {
  name: string
  reference: string
  impact: string
  status: string
  body: string
  notify: boolean
  /** The custom social post text, as typed ('' for the generated one). */
  postText: string
  /** The id of the template the form was filled from, if any. */
  template: string
}

export const emptyNewIncident: NewIncidentValues = {
  name: '', reference: '', impact: '', status: 'investigating', body: '', notify: true, postText: '', template: ''
}

export interface TemplateOptionView {
  id: number
  name: string
  title: string
  body: string
  /** The presets, for the page's script to apply as the no-JavaScript GET does: '' for none. */
  status: string
  impact: string
  /** JSON of component-<id> to a status, for the live components only. */
  components: string
  selected: boolean
}

/** The component selects a template presets, by field name (component-<id>), for the components that still exist. */
export function templateComponentFields (template: IncidentTemplate, components: Component[]): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const component of components) {
    const status = template.componentStatuses[component.id]
    if (status !== undefined) fields[`component-${component.id}`] = status
  }
  return fields
}

export interface NewIncidentView {
  values: NewIncidentValues
  errors: FieldErrors
  statusOptions: OptionView[]
  impactOptions: OptionView[]
  components: ComponentChoiceView[]
  templates: TemplateOptionView[]
  /** The reference an empty field gets, as far as can be told now. */
  nextReference: string
  preview: PreviewView | null
  crossPosting: CrossPostingView
}

export interface NewIncidentInput {
  values: NewIncidentValues
  errors: FieldErrors
  components: Component[]
  componentState: Omit<ComponentChoicesInput, 'mode'>
  templates: IncidentTemplate[]
  nextReference: string
  preview: PreviewView | null
  crossPosting: CrossPostingView
}

export function newIncidentView (input: NewIncidentInput): NewIncidentView {
  const { values } = input
  return {
    values,
    errors: input.errors,
    statusOptions: incidentStatusOptions(values.status),
    impactOptions: impactOptions(values.impact),
    components: componentChoices(input.components, { ...input.componentState, mode: 'new' }),
    templates: input.templates.map((template) => ({
      id: template.id,
      name: template.name,
      title: template.title,
      body: template.body,
      status: template.status ?? '',
      impact: template.impact ?? '',
      components: JSON.stringify(templateComponentFields(template, input.components)),
      selected: String(template.id) === values.template
    })),
    nextReference: input.nextReference,
    preview: input.preview,
    crossPosting: input.crossPosting
  }
}
