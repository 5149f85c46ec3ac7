// View models of the incident templates pages: the list with a form to add one, and the edit page.
import type { IncidentTemplate } from '../../domain/incident-templates.js'
import type { FieldErrors } from './form-view.js'

export interface TemplateValues {
  name: string
  title: string
  body: string
}

export const emptyTemplate: TemplateValues = { name: '', title: '', body: '' }

export interface TemplatesPageView {
  templates: Array<TemplateValues & { id: number, useHref: string }>
  create: { values: TemplateValues, errors: FieldErrors }
}

export function templatesPageView (templates: IncidentTemplate[], create: TemplatesPageView['create']): TemplatesPageView {
  return {
    templates: templates.map((template) => ({
      id: template.id,
      name: template.name,
      title: template.title,
      body: template.body,
      useHref: `/admin/incidents/new?template=${template.id}`
    })),
    create
  }
}
