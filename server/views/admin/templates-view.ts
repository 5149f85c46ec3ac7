// View models of the incident templates pages: the list with a form to add one, and the edit page.
import type { IncidentTemplate } from '../../domain/incident-templates.js'
import type { Component } from '../../domain/model.js'
import { componentStatusLabels, impactLabels, incidentStatusLabels } from '../../domain/statuses.js'
import { type ComponentChoiceView, componentChoices } from './component-choices-view.js'
import { type FieldErrors, type OptionView, formIncidentStatuses, impactOptions, optionList } from './form-view.js'

export interface TemplateValues {
  name: string
  title: string
  body: string
  /** '' for no preset (the form's own default). */
  status: string
  impact: string
  /** The component selects as sent (component-<id> to a status, '' for no change). */
  components: Record<string, string>
}

export const emptyTemplate: TemplateValues = { name: '', title: '', body: '', status: '', impact: '', components: {} }

/** A stored template as its form shows it. */
export function templateValues (template: IncidentTemplate): TemplateValues {
  return {
    name: template.name,
    title: template.title,
    body: template.body,
    status: template.status ?? '',
    impact: template.impact ?? '',
    components: Object.fromEntries(Object.entries(template.componentStatuses).map(([id, status]) => [`component-${id}`, status]))
  }
}

export interface TemplateFormView {
  values: TemplateValues
  errors: FieldErrors
  statusOptions: OptionView[]
  impactOptions: OptionView[]
  components: ComponentChoiceView[]
}

export function templateFormView (values: TemplateValues, errors: FieldErrors, components: Component[]): TemplateFormView {
  return {
    values,
    errors,
    statusOptions: optionList(['', ...formIncidentStatuses], { '': 'No preset (Investigating)', ...incidentStatusLabels }, values.status),
    impactOptions: impactOptions(values.impact),
    components: componentChoices(components, { mode: 'new', typed: values.components, errors })
  }
}

export interface TemplatesPageView {
  templates: Array<{ id: number, name: string, title: string, body: string, presets: string | null, useHref: string }>
  create: TemplateFormView
}

/** "Identified · Major impact · Teams chat: Major Outage": what a template sets beside the texts, null for nothing. */
function presetsText (template: IncidentTemplate, components: Component[]): string | null {
  const parts: string[] = []
  if (template.status !== null) parts.push(incidentStatusLabels[template.status])
  if (template.impact !== null) parts.push(`${impactLabels[template.impact]} impact`)
  for (const component of components) {
    const status = template.componentStatuses[component.id]
    if (status !== undefined) parts.push(`${component.name}: ${componentStatusLabels[status]}`)
  }
  return parts.length === 0 ? null : parts.join(' · ')
}

export function templatesPageView (templates: IncidentTemplate[], create: TemplateFormView, components: Component[]): TemplatesPageView {
  return {
    templates: templates.map((template) => ({
      id: template.id,
      name: template.name,
      title: template.title,
      body: template.body,
      presets: presetsText(template, components),
      useHref: `/admin/incidents/new?template=${template.id}`
    })),
    create
  }
}
