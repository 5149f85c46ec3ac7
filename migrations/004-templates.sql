-- Incident templates: saved name and message presets an admin picks when opening an incident.
-- {component} in the title or message stands for the affected components' names.

CREATE TABLE incident_templates (
  id         INTEGER PRIMARY KEY,
  -- What the template is called in the list ("Teams unreachable").
  name       TEXT NOT NULL COLLATE NOCASE UNIQUE,
  -- The incident name it proposes.
  title      TEXT NOT NULL,
  -- The first message it proposes, in Markdown.
  body       TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
