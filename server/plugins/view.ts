// Handlebars views from templates/ with Herald's helpers; app.view(template, data, { layout }) renders to a string.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fastifyView from '@fastify/view'
import fp from 'fastify-plugin'
import Handlebars from 'handlebars'
import { packageDir, staticDir } from '../package-info.js'
import { type Appearance, defaultAppearanceSettings } from '../domain/appearance.js'
import { brandView } from '../views/brand-view.js'
import { formatDate, formatDateTime } from '../views/format.js'
import type { MaintenanceWindowView } from '../views/incident-view.js'
import type { UptimeCellView } from '../views/uptime-view.js'

const templatesDir = packageDir('templates')

const unbranded: Appearance = { ...defaultAppearanceSettings, images: {} }

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Renders a template of templates/ on its own, at once: a part of a page built in parts (the status
     * page's rows), so without the layout and the context every page shares (which reads the branding).
     */
    viewFragment: (template: string, data: object) => string
  }
}

/** The layout of every public page: header, main, footer. */
export const publicLayout = 'layouts/public.hbs'

const partials = {
  update: 'partials/update.hbs',
  'incident-facts': 'partials/incident-facts.hbs',
  postmortem: 'partials/postmortem.hbs',
  'admin-field-error': 'admin/partials/admin-field-error.hbs',
  'admin-component-row': 'admin/partials/admin-component-row.hbs',
  'admin-timeline-entry': 'admin/partials/admin-timeline-entry.hbs',
  'admin-maintenance-item': 'admin/partials/admin-maintenance-item.hbs',
  'incident-components': 'admin/partials/incident-components.hbs',
  'incident-notify': 'admin/partials/incident-notify.hbs',
  'incident-preview': 'admin/partials/incident-preview.hbs',
  'incident-post-text': 'admin/partials/incident-post-text.hbs',
  'incident-deliveries': 'admin/partials/incident-deliveries.hbs',
  'incident-sent-posts': 'admin/partials/incident-sent-posts.hbs',
  'postmortem-form': 'admin/partials/postmortem-form.hbs',
  'template-fields': 'admin/partials/template-fields.hbs',
  'account-password-fields': 'admin/partials/account-password-fields.hbs',
  'account-name-field': 'admin/partials/account-name-field.hbs',
  'admin-time-zone': 'admin/partials/admin-time-zone.hbs',
  'monitor-input': 'admin/partials/monitor-input.hbs',
  'monitor-select': 'admin/partials/monitor-select.hbs',
  'dashboard-monitors': 'admin/partials/dashboard-monitors.hbs'
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
  // How long ago, for freshness ("Updated 4 minutes ago"): the page is cached and may be read without
  // JavaScript, so the server writes the time itself and static/local-time.js rewrites it as an age.
  handlebars.registerHelper('ago', (iso: unknown) => {
    if (typeof iso !== 'string') return ''
    return new handlebars.SafeString(`<time datetime="${escape(iso)}" data-ago>${escape(formatDateTime(iso))}</time>`)
  })
  // A maintenance window as two times localised like every other (the end as a time alone when both fall on
  // one day, in UTC here and in the reader's zone by static/local-time.js); the start written without its
  // zone keeps the whole of it as its title.
  handlebars.registerHelper('window', (window: unknown) => {
    if (typeof window !== 'object' || window === null) return ''
    const { scheduledFor, scheduledUntil, startText, endText } = window as MaintenanceWindowView
    const startTitle = startText === formatDateTime(scheduledFor) ? '' : ` title="${escape(formatDateTime(scheduledFor))}"`
    return new handlebars.SafeString(
      `<span class="window"><time datetime="${escape(scheduledFor)}" data-local${startTitle}>${escape(startText)}</time> – ` +
      `<time datetime="${escape(scheduledUntil)}" data-local="end" title="${escape(formatDateTime(scheduledUntil))}">${escape(endText)}</time></span>`)
  })
  // A UTC day (YYYY-MM-DD). Never localised: the page groups by UTC day.
  handlebars.registerHelper('date', (day: unknown) => {
    if (typeof day !== 'string') return ''
    return new handlebars.SafeString(`<time datetime="${escape(day)}">${escape(formatDate(day))}</time>`)
  })
  // The days of an uptime bar. A page has thousands of them (90 for each component): written here in one
  // loop, they cost a third of what {{#each}} with {{#if}} costs a cell, in time and in garbage, which under
  // load is what a posted update waits behind. A day with something to tell is a focusable cell with its
  // details; a quiet one a tip on hover, hidden from assistive technology (see UptimeCellView).
  handlebars.registerHelper('uptimeCells', (cells: unknown) => {
    if (!Array.isArray(cells)) return ''
    let html = ''
    for (const { c, t, d } of cells as UptimeCellView[]) {
      if (d === null) {
        html += `<li class="${escape(c)}" aria-hidden="true" data-t="${escape(t)}"></li>`
        continue
      }
      html += `<li class="${escape(c)}" tabindex="0"><span><b>${escape(d.date)}</b> ${escape(d.words)}`
      for (const incident of d.incidents) html += `<a href="${escape(incident.href)}"><bdi>${escape(incident.name)}</bdi></a>`
      html += '</span></li>'
    }
    return new handlebars.SafeString(html)
  })
  // For forms: {{#if (eq value option)}} selected{{/if}}.
  handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b)
}

export default fp(async function viewPlugin (app) {
  const handlebars = Handlebars.create()
  registerHelpers(handlebars)
  const { config, services } = app.herald
  await app.register(fastifyView, {
    engine: { handlebars },
    root: templatesDir,
    // Templates ship with the code: compile them once. Rendered pages are cached by servePublic anyway.
    production: true,
    defaultContext: {
      site: { name: config.siteName, url: config.publicUrl },
      // A getter, read by each render as @fastify/view copies the context: every page in the public layout,
      // any added later included, shows the branding as it is when rendered. A change is a write, which
      // moves the content version the rendered pages are cached under, so none shows the old branding.
      // The error pages are drawn with this layout when the database cannot be read too: then without the branding.
      get brand () {
        try {
          return brandView(services.reads.public.appearance())
        } catch {
          return brandView(unbranded)
        }
      },
      assets: { css: assetVersion('herald.css'), adminCss: assetVersion('admin.css'), js: assetVersion('local-time.js'), refreshJs: assetVersion('auto-refresh.js'), adminJs: assetVersion('admin-preview.js'), zoneJs: assetVersion('admin-time-zone.js') }
    },
    options: { partials }
  })
  const fragments = new Map<string, Handlebars.TemplateDelegate>()
  app.decorate('viewFragment', (template: string, data: object): string => {
    let render = fragments.get(template)
    if (render === undefined) {
      // Compiled once, as production: true does for the pages.
      render = handlebars.compile(readFileSync(join(templatesDir, template), 'utf8'))
      fragments.set(template, render)
    }
    return render(data)
  })
}, { name: 'herald-view', dependencies: ['herald'] })
