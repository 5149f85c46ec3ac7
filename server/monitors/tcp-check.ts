// The tcp check: a connection to host:port within the timeout, closed at once.
import net from 'node:net'
import type { TcpSettings } from '../domain/monitors.js'
import type { Check } from './check-context.js'

export const tcpCheck: Check<TcpSettings> = (settings, context) => new Promise((resolve, reject) => {
  const socket = net.connect({ host: settings.host, port: settings.port })
  const abort = (): void => { socket.destroy() }
  context.signal.addEventListener('abort', abort, { once: true })
  socket.once('error', (error) => {
    context.signal.removeEventListener('abort', abort)
    reject(error)
  })
  socket.once('connect', () => {
    context.signal.removeEventListener('abort', abort)
    socket.destroy()
    resolve(null)
  })
})
