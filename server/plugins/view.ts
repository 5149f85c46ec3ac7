// Handlebars views from templates/ with Herald's helpers; app.view(template, data, { layout }) renders to a string.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import fastifyView from '@fastify/view'
import fp from 'fastify-plugin'
import Handlebars from 'handlebars'
import { packageDir, staticDir } from '../package-info.js'
import { formatDate, formatDateTime } from '../views/format.js'

const templatesDir = packageDir('templates')

/** The layout of every public page: header, main, footer. */
export const publicLayout = 'layouts/public.hbs'

const partials = {
  update: 'partials/update.hbs',
  'incident-facts': 'partials/incident-facts.hbs',
  'admin-field-error': 'admin/partials/admin-field-error.hbs',
  'admin-component-row': 'admin/partials/admin-component-row.hbs',
  'admin-timeline-entry': 'admin/partials/admin-timeline-entry.hbs',
  'admin-maintenance-item': 'admin/partials/admin-maintenance-item.hbs',
  'incident-components': 'admin/partials/incident-components.hbs',
  'incident-notify': 'admin/partials/incident-notify.hbs',
  'incident-preview': 'admin/partials/incident-preview.hbs',
  'incident-post-text': 'admin/partials/incident-post-text.hbs',
  'incident-deliveries': 'admin/partials/incident-deliveries.hbs',
  'template-fields': 'admin/partials/template-fields.hbs',
  'account-password-fields': 'admin/partials/account-password-fields.hbs',
  'account-name-field': 'admin/partials/account-name-field.hbs',
  'admin-time-zone': 'admin/partials/admin-time-zone.hbs'
}

/** A short hash of a static file, put in its URL so a new version is fetched despite caching. */
function assetVersion (file: string): string {
  return createHash('sha256').update(readFileSync(staticDir + file)).digest('base64url').slice(0, 10)
}

function registerHelpers (handlebars: typeof Handlebars): void {
  const escape = handlebars.Utils.escapeExpression
  // A time in UTC with its zone; data-local lets static/local-time.js show it in the reader's zone.
  handlebars.registerHelper('time', (iso: unknown) => {
    if (typeof iso !== 'string') return ''
    return new handlebars.SafeString(`<time datetime="${escape(iso)}" data-local>${escape(formatDateTime(iso))}</time>`)
  })
  // A UTC day (YYYY-MM-DD). Never localised: the page groups by UTC day.
  handlebars.registerHelper('date', (day: unknown) => {
    if (typeof day !== 'string') return ''
    return new handlebars.SafeString(`<time datetime="${escape(day)}">${escape(formatDate(day))}</time>`)
  })
  // For forms: {{#if (eq value option)}} selected{{/if}}.
  handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b)
}

export default fp(async function viewPlugin (app) {
  const handlebars = Handlebars.create()
  registerHelpers(handlebars)
  const { config } = app.herald
  await app.register(fastifyView, {
    engine: { handlebars },
    root: templatesDir,
    // Templates ship with the code: compile them once. Rendered pages are cached by servePublic anyway.
    production: true,
    defaultContext: {
      site: { name: config.siteName, url: config.publicUrl },
      assets: { css: assetVersion('herald.css'), adminCss: assetVersion('admin.css'), js: assetVersion('local-time.js'), adminJs: assetVersion('admin-preview.js'), zoneJs: assetVersion('admin-time-zone.js') }
    },
    options: { partials }
  })
}, { name: 'herald-view', dependencies: ['herald'] })
