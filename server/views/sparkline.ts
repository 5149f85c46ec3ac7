// A monitor's recent latencies as an inline SVG (a polyline, down runs as red marks): no script, no external asset, numbers only.
import type { RunResult } from '../domain/monitors.js'

/** One run as the sparkline draws it, oldest first. */
export interface SparkPoint {
  result: RunResult
  /** Null when the run measured none (it failed before an answer): drawn as a down mark at the baseline. */
  latencyMs: number | null
}

export interface SparklineOptions {
  width?: number
  height?: number
}

const defaultWidth = 120
const defaultHeight = 28
/** Room around the line so that a mark at the edge is drawn whole. */
const inset = 3

function finite (value: number | null): number | null {
  return value !== null && Number.isFinite(value) && value >= 0 ? value : null
}

/** A coordinate with at most one decimal: short markup, and no exponent form whatever the input. */
function coordinate (value: number): string {
  return String(Math.round(value * 10) / 10)
}

/** "12 runs, latency 40 to 230 ms, 2 down": what a screen reader hears instead of the drawing. */
export function sparklineSummary (points: readonly SparkPoint[]): string {
  if (points.length === 0) return 'No runs yet'
  const latencies = points.map((point) => finite(point.latencyMs)).filter((value): value is number => value !== null)
  const down = points.filter((point) => point.result === 'down').length
  const runs = `${points.length} run${points.length === 1 ? '' : 's'}`
  const range = latencies.length === 0
    ? 'no latency measured'
    : `latency ${Math.round(Math.min(...latencies))} to ${Math.round(Math.max(...latencies))} ms`
  return `${runs}, ${range}, ${down} down`
}

/**
 * The SVG markup of a sparkline of these runs (oldest first). It takes numbers and results only, so there is
 * nothing a person typed to escape; the title is made of numbers too. Styling is by class (static/admin.css),
 * which keeps it inside the admin CSP (no style attribute) and follows the light and dark schemes.
 */
export function sparklineSvg (points: readonly SparkPoint[], options: SparklineOptions = {}): string {
  const width = options.width ?? defaultWidth
  const height = options.height ?? defaultHeight
  const summary = sparklineSummary(points)
  const open = `<svg class="sparkline" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg"><title>${summary}</title>`
  if (points.length === 0) return `${open}<line class="sparkline-none" x1="${inset}" y1="${height / 2}" x2="${width - inset}" y2="${height / 2}"/></svg>`
  const latencies = points.map((point) => finite(point.latencyMs))
  const max = Math.max(1, ...latencies.map((value) => value ?? 0))
  const step = points.length === 1 ? 0 : (width - 2 * inset) / (points.length - 1)
  const x = (index: number): number => points.length === 1 ? width / 2 : inset + index * step
  const y = (latency: number): number => height - inset - (latency / max) * (height - 2 * inset)
  // The line joins the runs that measured a latency; a gap in the data is not drawn as one.
  const line = latencies
    .map((latency, index) => latency === null ? null : `${coordinate(x(index))},${coordinate(y(latency))}`)
    .filter((point): point is string => point !== null)
  const polyline = line.length === 0 ? '' : `<polyline class="sparkline-line" points="${line.join(' ')}"/>`
  const marks = points
    .map((point, index) => {
      if (point.result !== 'down') return ''
      const latency = latencies[index] ?? null
      return `<circle class="sparkline-down" cx="${coordinate(x(index))}" cy="${coordinate(latency === null ? height - inset : y(latency))}" r="2.5"/>`
    })
    .join('')
  return `${open}${polyline}${marks}</svg>`
}
