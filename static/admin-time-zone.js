// Sends the browser's time zone with the forms that take times (maintenance windows, an update's shown time) and shows their stored times in it; without JavaScript the times are UTC, as the page says.
(function () {
  'use strict'
  if (typeof Intl === 'undefined' || typeof document.querySelectorAll !== 'function') return
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone
  if (typeof zone !== 'string' || zone === '') return
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit'
  })
  // A UTC time as a datetime-local field holds it in the browser's zone: 2020-02-04T11:00.
  function local (iso) {
    const parts = {}
    const list = format.formatToParts(new Date(iso))
    for (let i = 0; i < list.length; i++) parts[list[i].type] = list[i].value
    return parts.year + '-' + parts.month + '-' + parts.day + 'T' + parts.hour + ':' + parts.minute
  }
  // Only a form the server marked: one sent back with what was typed keeps the zone it was typed in.
  const fields = document.querySelectorAll('input[data-time-zone][data-zone-auto]')
  for (let i = 0; i < fields.length; i++) {
    const form = fields[i].form
    if (form === null) continue
    fields[i].value = zone
    const stored = form.querySelectorAll('input[data-utc]')
    for (let j = 0; j < stored.length; j++) {
      const time = new Date(stored[j].getAttribute('data-utc'))
      if (!isNaN(time.getTime())) stored[j].value = local(time.toISOString())
    }
    const names = form.querySelectorAll('[data-time-zone-name]')
    for (let j = 0; j < names.length; j++) names[j].textContent = zone
  }
})()
