// The nudge: an open incident with no update for longer than the chosen time is flagged on the dashboard.

/** The chosen time, in minutes: at least 5 (a nudge every few minutes is noise), at most a day. */
export const nudgeLimits = { min: 5, max: 1440, default: 60 } as const

export function isNudgeMinutes (minutes: number): boolean {
  return Number.isInteger(minutes) && minutes >= nudgeLimits.min && minutes <= nudgeLimits.max
}

/**
 * Whole minutes since the incident's last update was posted (its posting time, not a backdated shown
 * time: the nudge is about when the operator last said something), or null when it is not overdue.
 */
export function overdueMinutes (lastPostedAt: string, now: Date, afterMinutes: number): number | null {
  const minutes = Math.floor((now.getTime() - Date.parse(lastPostedAt)) / 60_000)
  return minutes > afterMinutes ? minutes : null
}
