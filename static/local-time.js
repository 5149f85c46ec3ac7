// Shows each <time data-local> in the reader's own time zone; without JavaScript the UTC text stays as it is.
(function () {
  'use strict'
  if (typeof Intl === 'undefined' || typeof document.querySelectorAll !== 'function') return
  const format = new Intl.DateTimeFormat(undefined, {
    day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short'
  })
  const times = document.querySelectorAll('time[data-local]')
  for (let i = 0; i < times.length; i++) {
    const el = times[i]
    const date = new Date(el.getAttribute('datetime'))
    if (isNaN(date.getTime())) continue
    // The UTC text stays one hover away.
    el.title = el.textContent
    el.textContent = format.format(date)
  }
})()
