// The JSON schemas of the token API's draft routes: what they accept and what they answer (also their OpenAPI document).
import { type Static, Type } from 'typebox'
import { impacts } from '../../domain/statuses.js'
import { draftStatuses } from '../../services/draft-service.js'
import { NewIncidentBody, idPattern } from './schemas.js'

// The fields of opening an incident, with the same rules: a draft is what opening one would say.
const { name: Name, body: Body, components: Components, reference: Reference, notify: Notify, post_text: PostText } = NewIncidentBody.properties
const DraftStatus = Type.Enum([...draftStatuses], { description: 'investigating unless given: a draft is not resolved.' })
const Impact = Type.Union([Type.Enum([...impacts]), Type.Null()], { description: 'Null or absent: follows the worst component status given, as an opened incident\'s does.' })
const Time = Type.String({ format: 'date-time' })

export const DraftParams = Type.Object({ id: Type.String({ pattern: idPattern }) }, { additionalProperties: false })

const draftFields = {
  name: Name,
  body: Body,
  status: Type.Optional(DraftStatus),
  impact: Type.Optional(Impact),
  components: Type.Optional(Components)
}

export const NewDraftBody = Type.Object(draftFields, { additionalProperties: false })

export const DraftPatchBody = Type.Object({
  name: Type.Optional(Name),
  body: Type.Optional(Body),
  status: Type.Optional(DraftStatus),
  impact: Type.Optional(Impact),
  components: Type.Optional(Components)
}, { additionalProperties: false, minProperties: 1 })

export const PublishDraftBody = Type.Object({
  ...DraftPatchBody.properties,
  reference: Type.Optional(Reference),
  notify: Type.Optional(Notify),
  post_text: Type.Optional(PostText)
}, {
  additionalProperties: false,
  description: 'Changes to publish instead of what the draft says (the draft is not saved with them), and what is chosen when publishing: the reference, notify, the post text. {} publishes the draft as saved.'
})

export const DraftJson = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  body: Type.String({ description: 'Markdown, as typed.' }),
  status: DraftStatus,
  impact: Impact,
  components: Type.Unsafe<Record<string, string>>({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Component id to the status the incident gives it when published.'
  }),
  monitor_id: Type.Union([Type.Integer(), Type.Null()], { description: 'The monitor that saved it; null for a person\'s (or when the monitor was removed).' }),
  note: Type.Union([Type.String(), Type.Null()], { description: 'What its monitor saw since, one line each (recovered at …).' }),
  created_by: Type.String({ description: 'user:<name>, token:<name> or monitor:<name>.' }),
  created_at: Time,
  updated_at: Time
}, { description: 'A draft incident: not public, posted or told to subscribers until published.' })

export const DraftListJson = Type.Object({ drafts: Type.Array(DraftJson, { description: 'Newest first.' }) })

export type DraftJson = Static<typeof DraftJson>
