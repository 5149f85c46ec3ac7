// The JSON schemas of the token API's postmortem routes: what they accept and what they answer (also their OpenAPI document).
import { type Static, Type } from 'typebox'
import { maxPostmortemBody } from '../../domain/postmortems.js'
import { multiLinePattern } from '../../domain/text.js'

const Body = Type.String({ minLength: 1, maxLength: maxPostmortemBody, pattern: multiLinePattern, description: 'Markdown.' })
const Time = Type.String({ format: 'date-time' })
const NullableTime = Type.Union([Time, Type.Null()])

export const PostmortemDraftBody = Type.Object({
  body: Body
}, { additionalProperties: false })

export const PublishPostmortemBody = Type.Object({
  body: Type.Optional(Type.String({ ...Body, description: 'Markdown, saved as the draft and published; absent: the saved draft is published.' })),
  published_at: Type.Optional(Type.String({
    format: 'date-time',
    description: 'When it was published: not in the future, not before the incident was resolved. Absent: now, or the time it has when it is published already.'
  })),
  notify: Type.Optional(Type.Boolean({
    description: 'Post that the postmortem is out to the social channels (a short line and the link to it); false by default. Each channel gets it once, however often it is published.'
  }))
}, { additionalProperties: false })

export const UnpublishPostmortemBody = Type.Object({}, { additionalProperties: false })

export const PostmortemJson = Type.Object({
  reference: Type.String({ description: 'The incident\'s.' }),
  draft: Type.String({ description: 'Markdown, as last saved.' }),
  draft_updated_at: Time,
  body: Type.Union([Type.String(), Type.Null()], { description: 'Markdown, as readers see it; null while it is not published.' }),
  body_updated_at: NullableTime,
  published_at: Type.Union([Time, Type.Null()], { description: 'Null while it is not published.' }),
  created_at: Time,
  updated_at: Time
}, { description: 'An incident\'s postmortem: its draft and, once published, what readers see.' })

export type PostmortemJson = Static<typeof PostmortemJson>
