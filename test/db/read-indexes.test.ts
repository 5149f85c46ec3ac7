// The public read path's queries use indexes: no scan or sort of the status history or of every update as the data grows.
import { join } from 'node:path'
import t from 'tap'
import { migrate } from '../../server/db/migrate.js'
import { openDatabase } from '../../server/db/open-database.js'
import { tempDir } from '../fixtures/build.js'

function plan (db: ReturnType<typeof openDatabase>, sql: string, ...params: string[]): string {
  return db.prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`).all(...params).map((row) => row.detail).join('\n')
}

t.test('the uptime bars and the page’s last change are read through indexes', async (t) => {
  const db = openDatabase(join(tempDir(t), 'herald.db'))
  t.teardown(() => db.close())
  migrate(db)
  // As StatusHistoryStore.since reads the 90 days of the uptime bars.
  const since = plan(db, `SELECT component_id, old_status, new_status, changed_at FROM component_status_changes
    WHERE changed_at >= ? ORDER BY changed_at, id`, '2020-01-01T00:00:00.000Z')
  t.match(since, 'USING INDEX status_changes_changed')
  t.notMatch(since, 'TEMP B-TREE', 'no sort: the index is in that order')
  // As IncidentsStore.touchingSince finds the incidents of the uptime bars' days (IN drops the ids found twice; a ? for each @from).
  const touching = plan(db, `SELECT ic.component_id, i.reference, i.name, i.started_at, i.resolved_at
    FROM incidents i JOIN incident_components ic ON ic.incident_id = i.id
    WHERE i.status <> 'scheduled' AND i.id IN (
      SELECT id FROM incidents WHERE started_at >= ?
      UNION ALL SELECT id FROM incidents WHERE resolved_at IS NULL
      UNION ALL SELECT u.incident_id FROM component_status_changes s JOIN updates u ON u.id = s.update_id WHERE s.changed_at >= ?)
    ORDER BY i.started_at, i.id`, '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z')
  t.match(touching, 'USING COVERING INDEX incidents_started')
  t.match(touching, 'USING COVERING INDEX incidents_open')
  t.match(touching, 'USING INDEX status_changes_changed')
  t.notMatch(touching, /SCAN (incidents|component_status_changes|updates)/, 'no incident, change or update is read but those of the window')
  // As IncidentsStore.withLatestUpdate finds the update each past incident shows: one step into the index each.
  const latest = plan(db, `SELECT id FROM updates WHERE id IN (
    SELECT (SELECT id FROM updates WHERE incident_id = j.value ORDER BY display_at DESC, id DESC LIMIT 1) FROM json_each(?) j)`, '[1, 2]')
  t.match(latest, 'USING COVERING INDEX updates_incident (incident_id=?)')
  t.notMatch(latest, 'TEMP B-TREE', 'no sort: the index is in that order')
  t.notMatch(latest, /SCAN updates/)
  // As PageStore.lastChange finds the latest change (the API's page.updated_at, an empty feed's date).
  for (const table of ['incidents', 'updates']) {
    t.match(plan(db, `SELECT MAX(updated_at) FROM ${table}`), /USING (COVERING )?INDEX/, table)
  }
})
