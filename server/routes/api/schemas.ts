// The JSON schemas of the token API: what each route accepts and what it answers (also its OpenAPI document).
import { type Static, Type } from 'typebox'
import { maxCustomPostText } from '../../domain/post-text.js'
import { referencePattern } from '../../domain/references.js'
import { componentStatuses, impacts, incidentStatuses, maintenanceStatuses } from '../../domain/statuses.js'
import { limits, multiLinePattern, optionalMultiLinePattern, singleLinePattern } from '../../domain/text.js'

// Ids travel as strings in the URL (no type coercion app-wide): a pattern keeps them whole numbers that fit.
export const idPattern = '^[1-9][0-9]{0,14}$'

const maxPosition = 1_000_000
// More components in one update than any page holds is a mistake, not an outage.
const maxComponentsPerUpdate = 500

// Input fields

const Name = Type.String({ minLength: 1, maxLength: limits.name, pattern: singleLinePattern, description: 'One line of text.' })
const Description = Type.String({ maxLength: limits.description, pattern: optionalMultiLinePattern })
const GroupName = Type.String({ minLength: 1, maxLength: limits.groupName, pattern: singleLinePattern, description: 'The name of a group; created when it does not exist.' })
const Position = Type.Integer({ minimum: 0, maximum: maxPosition, description: 'Order on the page, smallest first.' })
const Body = Type.String({ minLength: 1, maxLength: limits.body, pattern: multiLinePattern, description: 'Markdown.' })
const Reference = Type.String({ pattern: referencePattern, description: 'Letters and digits, such as TM202916; case-insensitive.' })
const ComponentStatus = Type.Enum([...componentStatuses])
const IncidentStatus = Type.Enum([...incidentStatuses])
const MaintenanceStatus = Type.Enum([...maintenanceStatuses])
// What an update or an answer may carry: a maintenance's statuses as well as an incident's.
const UpdateStatus = Type.Enum([...incidentStatuses, ...maintenanceStatuses])
const Impact = Type.Enum([...impacts])
const Notify = Type.Boolean({ description: 'Whether subscribers and social channels are told; true by default.' })
const DisplayAt = Type.String({ format: 'date-time', description: 'The time shown for the update; now by default. May be back-dated, never more than a minute in the future.' })
const PostText = Type.Union([
  Type.String({ minLength: 1, maxLength: maxCustomPostText, pattern: multiLinePattern }),
  Type.Null()
], { description: 'Plain text posted to the social channels instead of the generated one, followed by the link to the update; shortened with an ellipsis to fit each channel. Null or absent: generated from the status, name and body.' })
// propertyNames rather than TypeBox's Record (patternProperties), which the OpenAPI generator
// rewrites into "any key": the document must say what is validated.
const ComponentChanges = Type.Unsafe<Record<string, Static<typeof ComponentStatus>>>({
  type: 'object',
  propertyNames: { pattern: idPattern },
  additionalProperties: ComponentStatus,
  maxProperties: maxComponentsPerUpdate,
  description: 'Component id to the status this update gives it.'
})

// Route parameters

export const ComponentParams = Type.Object({ id: Type.String({ pattern: idPattern }) }, { additionalProperties: false })
export const IncidentParams = Type.Object({ reference: Reference }, { additionalProperties: false })
export const UpdateParams = Type.Object({ reference: Reference, id: Type.String({ pattern: idPattern }) }, { additionalProperties: false })

// Request bodies

export const NewComponentBody = Type.Object({
  name: Name,
  description: Type.Optional(Description),
  group: Type.Optional(GroupName),
  position: Type.Optional(Position)
}, { additionalProperties: false })

export const ComponentPatchBody = Type.Object({
  name: Type.Optional(Name),
  description: Type.Optional(Description),
  group: Type.Optional(Type.Union([GroupName, Type.Null()], { description: 'A group name, or null to take the component out of its group.' })),
  position: Type.Optional(Position),
  status: Type.Optional(ComponentStatus)
}, { additionalProperties: false, minProperties: 1 })

export const NewIncidentBody = Type.Object({
  name: Name,
  body: Body,
  status: Type.Optional(IncidentStatus),
  impact: Type.Optional(Impact),
  reference: Type.Optional(Reference),
  components: Type.Optional(ComponentChanges),
  notify: Type.Optional(Notify),
  display_at: Type.Optional(DisplayAt),
  post_text: Type.Optional(PostText)
}, { additionalProperties: false })

export const NewUpdateBody = Type.Object({
  body: Body,
  status: IncidentStatus,
  components: Type.Optional(ComponentChanges),
  notify: Type.Optional(Notify),
  display_at: Type.Optional(DisplayAt),
  post_text: Type.Optional(PostText)
}, { additionalProperties: false })

export const IncidentPatchBody = Type.Object({
  name: Type.Optional(Name),
  impact: Type.Optional(Impact)
}, { additionalProperties: false, minProperties: 1 })

export const UpdatePatchBody = Type.Object({ body: Body }, { additionalProperties: false })

const WindowTime = (what: string) => Type.String({ format: 'date-time', description: `When the maintenance is planned to ${what}.` })
const ComponentIds = Type.Array(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }), {
  maxItems: maxComponentsPerUpdate,
  description: 'The ids of the components the work affects: under maintenance while it runs.'
})
const AutoStart = Type.Boolean({ description: 'Start by itself at scheduled_for (components under maintenance, an update posted); true by default.' })
const AutoComplete = Type.Boolean({ description: 'Complete by itself at scheduled_until (components back to their earlier statuses, an update posted); true by default.' })

export const NewMaintenanceBody = Type.Object({
  name: Name,
  body: Type.String({ minLength: 1, maxLength: limits.body, pattern: multiLinePattern, description: 'The announcement, in Markdown: posted as the first update.' }),
  scheduled_for: WindowTime('start'),
  scheduled_until: WindowTime('end'),
  components: Type.Optional(ComponentIds),
  reference: Type.Optional(Reference),
  auto_start: Type.Optional(AutoStart),
  auto_complete: Type.Optional(AutoComplete),
  notify: Type.Optional(Notify),
  post_text: Type.Optional(PostText)
}, { additionalProperties: false })

export const MaintenanceUpdateBody = Type.Object({
  body: Body,
  status: Type.Optional(Type.Enum([...maintenanceStatuses], { description: 'The new status; the current one when absent.' })),
  notify: Type.Optional(Notify),
  display_at: Type.Optional(DisplayAt),
  post_text: Type.Optional(PostText)
}, { additionalProperties: false })

export const MaintenancePatchBody = Type.Object({
  name: Type.Optional(Name),
  scheduled_for: Type.Optional(WindowTime('start')),
  scheduled_until: Type.Optional(WindowTime('end')),
  auto_start: Type.Optional(AutoStart),
  auto_complete: Type.Optional(AutoComplete)
}, { additionalProperties: false, minProperties: 1 })

// The token API refuses what it does not know, in a query as in a body: a misspelt filter is an error, not ignored.
export const NoQuery = Type.Object({}, { additionalProperties: false })
export const MaintenanceListQuery = Type.Object({
  state: Type.Optional(Type.Enum(['upcoming', 'active', 'all'], { description: 'upcoming (soonest first), active (in progress or verifying) or all (newest first, the default).' }))
}, { additionalProperties: false })

// Responses: snake_case, as Statuspage's API

const Time = Type.String({ format: 'date-time' })
const NullableTime = Type.Union([Time, Type.Null()])

export const ComponentJson = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  description: Type.String(),
  group: Type.Union([Type.String(), Type.Null()], { description: 'The name of its group.' }),
  group_id: Type.Union([Type.Integer(), Type.Null()]),
  position: Type.Integer(),
  status: ComponentStatus,
  created_at: Time,
  updated_at: Time
}, { description: 'The component.' })

export const UpdateJson = Type.Object({
  id: Type.Integer(),
  status: UpdateStatus,
  body: Type.String({ description: 'Markdown, as typed.' }),
  notify: Type.Boolean(),
  post_text: Type.Optional(Type.String({ description: 'The custom text the update is cross-posted with; absent when the text is generated.' })),
  display_at: Time,
  created_at: Time,
  updated_at: Time,
  affected_components: Type.Array(Type.Object({
    id: Type.Integer(),
    name: Type.String(),
    old_status: ComponentStatus,
    new_status: ComponentStatus
  }), { description: 'The component status changes this update made.' })
}, { description: 'The update.' })

export const IncidentJson = Type.Object({
  id: Type.Integer(),
  reference: Type.String(),
  name: Type.String(),
  impact: Impact,
  status: UpdateStatus,
  created_at: Time,
  updated_at: Time,
  started_at: Time,
  monitoring_at: NullableTime,
  resolved_at: NullableTime,
  components: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() }), { description: 'Every component the incident has touched.' }),
  updates: Type.Array(UpdateJson, { description: 'Newest first.' })
}, { description: 'The incident with its updates.' })

export const MaintenanceJson = Type.Object({
  ...IncidentJson.properties,
  status: MaintenanceStatus,
  scheduled_for: Time,
  scheduled_until: Time,
  auto_start: Type.Boolean(),
  auto_complete: Type.Boolean()
}, { description: 'The maintenance with its window and its updates; resolved_at is when it completed.' })

export const MaintenanceListJson = Type.Object({
  maintenances: Type.Array(MaintenanceJson)
})

export type ComponentJson = Static<typeof ComponentJson>
export type MaintenanceJson = Static<typeof MaintenanceJson>
export type UpdateJson = Static<typeof UpdateJson>
export type IncidentJson = Static<typeof IncidentJson>

const ErrorJson = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String({ description: 'What is wrong, naming the field.' }),
  field: Type.Optional(Type.String({
    description: 'The body field the error is about (such as scheduled_until), when it is about one; absent for the path, the query or the body as a whole.'
  }))
})

const errorDescriptions = {
  400: 'Bad input: the message names the field.',
  401: 'No token, or not a valid one.',
  404: 'No such incident, maintenance, update or component.',
  409: 'An incident with that reference exists, a component of the same group has that name, or the change does not fit the current status.',
  413: 'The body is over 1 MiB.',
  415: 'The body is not JSON.'
} as const

type ErrorStatus = keyof typeof errorDescriptions

/** The error answers a route may give, for its response schema. */
export function errorResponses<S extends ErrorStatus> (...codes: S[]): Record<S, typeof ErrorJson> {
  return Object.fromEntries(codes.map((code) => [code, Type.Object(ErrorJson.properties, { description: errorDescriptions[code] })])) as Record<S, typeof ErrorJson>
}
