-- Indexes for the public read path, found by the five-year benchmark (npm run bench -- read-path):
-- the uptime bars read the status changes of the last 90 days, and the API's page.updated_at is the
-- latest change of any incident or update. Without them both scanned and sorted whole tables.
CREATE INDEX status_changes_changed ON component_status_changes(changed_at);
CREATE INDEX incidents_updated ON incidents(updated_at);
CREATE INDEX updates_updated ON updates(updated_at);
