// Incident templates: the title and body an admin starts a new incident from, by name.

export interface TemplateFields {
  name: string
  title: string
  body: string
}

export interface IncidentTemplate {
  id: number
  name: string
  title: string
  body: string
  createdAt: string
  updatedAt: string
}
