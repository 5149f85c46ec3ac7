// View model of the monitor forms: the kind's fields (named as the external shape names them), their values as typed, options and errors.
import type { Component } from '../../domain/model.js'
import {
  type Monitor, type MonitorKind, degradedStatuses, dnsRecordTypes, downStatuses, httpMethods, incidentModes, monitorKinds, monitorLimits
} from '../../domain/monitors.js'
import { defaultThresholds } from '../../domain/monitor-input.js'
import { tlsTargetText } from '../../domain/tls-target.js'
import { componentStatusLabels } from '../../domain/statuses.js'
import { type FieldErrors, type OptionView, optionList } from './form-view.js'
import { incidentModeLabels, monitorKindLabels } from './monitors-view.js'

/** Every field of the forms, as the API and YAML name them (MonitorInput), so a service's refusal lands beside its field. */
export const commonFields = [
  'name', 'interval_seconds', 'timeout_ms', 'failure_threshold', 'success_threshold', 'latency_limit_ms',
  'component_id', 'down_status', 'degraded_status', 'incident_mode', 'cert_warning_days', 'paused'
] as const
export const kindFields = {
  http: ['url', 'method', 'headers', 'body', 'expected_status', 'keyword', 'json_path', 'json_path_equals', 'follow_redirects'],
  tcp: ['host', 'port'],
  dns: ['hostname', 'record_type', 'expected'],
  tls: ['target', 'servername'],
  heartbeat: ['grace_seconds']
} as const satisfies Record<MonitorKind, readonly string[]>

export type MonitorField = typeof commonFields[number] | typeof kindFields[MonitorKind][number]

/** The fields a kind's form shows: a heartbeat has no timeout, latency or certificate; only http and tls see certificates. */
export function fieldsOf (kind: MonitorKind): MonitorField[] {
  const skip = new Set<MonitorField>(
    kind === 'heartbeat' ? ['timeout_ms', 'latency_limit_ms', 'cert_warning_days'] : kind === 'http' || kind === 'tls' ? [] : ['cert_warning_days']
  )
  return [...commonFields.filter((field) => !skip.has(field)), ...kindFields[kind]]
}

/** What the form shows in each field: text as typed; checkboxes 'on' or ''. */
export type MonitorFormValues = Record<MonitorField, string>

/** A new monitor's form: the defaults of issue 15 written out, so a person sees what they get. */
export function defaultFormValues (kind: MonitorKind): MonitorFormValues {
  const thresholds = defaultThresholds(kind)
  return {
    name: '',
    interval_seconds: String(kind === 'tls' ? monitorLimits.minTlsIntervalS : monitorLimits.defaultIntervalS),
    timeout_ms: String(monitorLimits.defaultTimeoutMs),
    failure_threshold: String(thresholds.failureThreshold),
    success_threshold: String(thresholds.successThreshold),
    latency_limit_ms: '',
    component_id: '',
    down_status: 'major_outage',
    degraded_status: 'degraded_performance',
    incident_mode: 'off',
    cert_warning_days: monitorLimits.defaultCertWarningDays.join(', '),
    paused: '',
    url: '',
    method: 'GET',
    headers: '',
    body: '',
    expected_status: '200-299',
    keyword: '',
    json_path: '',
    json_path_equals: '',
    follow_redirects: 'on',
    host: '',
    port: '',
    hostname: '',
    record_type: 'A',
    expected: '',
    target: '',
    servername: '',
    grace_seconds: String(monitorLimits.defaultHeartbeatGraceS)
  }
}

/** An existing monitor's values, for its edit form. */
export function monitorFormValues (monitor: Monitor): MonitorFormValues {
  const values: MonitorFormValues = {
    ...defaultFormValues(monitor.kind),
    name: monitor.name,
    interval_seconds: String(monitor.intervalS),
    timeout_ms: String(monitor.timeoutMs),
    failure_threshold: String(monitor.failureThreshold),
    success_threshold: String(monitor.successThreshold),
    latency_limit_ms: monitor.latencyLimitMs === null ? '' : String(monitor.latencyLimitMs),
    component_id: monitor.componentId === null ? '' : String(monitor.componentId),
    down_status: monitor.downStatus,
    degraded_status: monitor.degradedStatus,
    incident_mode: monitor.incidentMode,
    cert_warning_days: monitor.certWarningDays.join(', '),
    paused: monitor.paused ? 'on' : ''
  }
  switch (monitor.kind) {
    case 'http': {
      const s = monitor.settings
      return {
        ...values,
        url: s.url,
        method: s.method,
        headers: Object.entries(s.headers).map(([name, value]) => `${name}: ${value}`).join('\n'),
        body: s.body ?? '',
        expected_status: s.expectedStatus.min === s.expectedStatus.max ? String(s.expectedStatus.min) : `${s.expectedStatus.min}-${s.expectedStatus.max}`,
        keyword: s.keyword ?? '',
        json_path: s.jsonPath?.path ?? '',
        json_path_equals: s.jsonPath?.equals ?? '',
        follow_redirects: s.followRedirects ? 'on' : ''
      }
    }
    case 'tcp': return { ...values, host: monitor.settings.host, port: String(monitor.settings.port) }
    case 'dns': return { ...values, hostname: monitor.settings.name, record_type: monitor.settings.recordType, expected: monitor.settings.expected ?? '' }
    case 'tls': {
      const s = monitor.settings
      return { ...values, target: tlsTargetText(s), servername: s.servername ?? '' }
    }
    case 'heartbeat': return { ...values, grace_seconds: String(monitor.settings.graceS) }
  }
}

export interface KindChoiceView {
  kind: MonitorKind
  label: string
  href: string
  description: string
}

const kindDescriptions: Record<MonitorKind, string> = {
  http: 'Requests a URL and checks the status, and optionally a keyword or a JSON value in the answer and how long it took. For https, the certificate too.',
  tcp: 'Connects to a host and port (a database, a mail server).',
  dns: 'Resolves a name, optionally to an expected address or record.',
  tls: 'Connects with TLS and checks the certificate: valid, trusted, for the name, and its days left.',
  heartbeat: 'Waits for a call: a cron job or a backup posts to its URL, and the monitor fails when none came within the period plus a grace time.'
}

export function kindChoices (): KindChoiceView[] {
  return monitorKinds.map((kind) => ({ kind, label: monitorKindLabels[kind], href: `/admin/monitors/new?kind=${kind}`, description: kindDescriptions[kind] }))
}

export interface MonitorFormView {
  kind: MonitorKind
  kindLabel: string
  /** Which of the kind's sections to draw. */
  is: Record<MonitorKind, boolean>
  has: { timeout: boolean, latency: boolean, certificates: boolean }
  action: string
  submitLabel: string
  /** Cancel goes back to the monitor, or to the list for a new one. */
  cancelHref: string
  values: MonitorFormValues
  errors: FieldErrors
  options: {
    components: OptionView[]
    downStatuses: OptionView[]
    degradedStatuses: OptionView[]
    incidentModes: OptionView[]
    methods: OptionView[]
    recordTypes: OptionView[]
  }
  limits: typeof monitorLimits
}

export interface MonitorFormViewInput {
  kind: MonitorKind
  /** Null for a new monitor. */
  monitor: Pick<Monitor, 'id' | 'name'> | null
  components: readonly Component[]
  values: MonitorFormValues
  errors: FieldErrors
}

export function monitorFormView (input: MonitorFormViewInput): MonitorFormView {
  const { kind, monitor, values } = input
  const componentOptions: OptionView[] = [
    { value: '', label: 'None: the monitor changes no component', selected: values.component_id === '' },
    ...input.components.map((component) => ({
      value: String(component.id),
      label: component.groupName === null ? component.name : `${component.name} (${component.groupName})`,
      selected: String(component.id) === values.component_id
    }))
  ]
  return {
    kind,
    kindLabel: monitorKindLabels[kind],
    is: Object.fromEntries(monitorKinds.map((each) => [each, each === kind])) as Record<MonitorKind, boolean>,
    has: { timeout: kind !== 'heartbeat', latency: kind !== 'heartbeat', certificates: kind === 'http' || kind === 'tls' },
    action: monitor === null ? '/admin/monitors' : `/admin/monitors/${monitor.id}/edit`,
    submitLabel: monitor === null ? 'Create the monitor' : 'Save',
    cancelHref: monitor === null ? '/admin/monitors' : `/admin/monitors/${monitor.id}`,
    values,
    errors: input.errors,
    options: {
      components: componentOptions,
      downStatuses: optionList(downStatuses, componentStatusLabels, values.down_status),
      degradedStatuses: optionList(degradedStatuses, componentStatusLabels, values.degraded_status),
      incidentModes: optionList(incidentModes, incidentModeLabels, values.incident_mode),
      methods: optionList(httpMethods, {}, values.method),
      recordTypes: optionList(dnsRecordTypes, {}, values.record_type)
    },
    limits: monitorLimits
  }
}
