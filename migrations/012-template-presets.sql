-- Incident templates preset the status, the impact and the component statuses as well as the texts.
-- NULL status or impact: the form's own default; component_statuses: a JSON object of component id to status
-- (components deleted since are passed over when the template is used).

ALTER TABLE incident_templates ADD COLUMN status TEXT
  CHECK (status IS NULL OR status IN ('investigating', 'identified', 'monitoring', 'resolved', 'postmortem'));
ALTER TABLE incident_templates ADD COLUMN impact TEXT
  CHECK (impact IS NULL OR impact IN ('none', 'minor', 'major', 'critical'));
ALTER TABLE incident_templates ADD COLUMN component_statuses TEXT NOT NULL DEFAULT '{}'
  CHECK (json_valid(component_statuses) AND json_type(component_statuses) = 'object');
