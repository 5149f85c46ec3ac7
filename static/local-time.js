// Shows each <time data-local> in the reader's own time zone and each <time data-ago> as an age kept current (without JavaScript the UTC text stays); Escape hides an uptime day's details.
(function () {
  'use strict'
  if (typeof Intl === 'undefined' || typeof document.querySelectorAll !== 'function') return
  const parts = { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }
  const full = new Intl.DateTimeFormat(undefined, Object.assign({ timeZoneName: 'short' }, parts))
  const withoutZone = new Intl.DateTimeFormat(undefined, parts)
  const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', timeZoneName: 'short' })
  const localDay = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: '2-digit', day: '2-digit' })

  function dateOf (el) {
    const date = el === null || el.tagName !== 'TIME' ? null : new Date(el.getAttribute('datetime'))
    return date === null || isNaN(date.getTime()) ? null : date
  }

  // The UTC text (or the whole UTC time the server gave as a title) stays one hover away.
  function show (el, text) {
    if (!el.hasAttribute('title')) el.title = el.textContent
    el.textContent = text
  }

  const times = document.querySelectorAll('time[data-local]')
  for (let i = 0; i < times.length; i++) {
    const el = times[i]
    const date = dateOf(el)
    if (date === null) continue
    // The end of a window: a time alone when both ends fall on one day where the reader is, as the server writes it in UTC.
    if (el.getAttribute('data-local') === 'end') {
      const start = el.previousElementSibling
      const startDate = dateOf(start)
      if (startDate !== null && localDay.format(startDate) === localDay.format(date)) {
        show(start, withoutZone.format(startDate))
        show(el, timeOnly.format(date))
        continue
      }
      if (startDate !== null) show(start, full.format(startDate))
    }
    show(el, full.format(date))
  }

  function plural (count, unit) {
    return count + ' ' + unit + (count === 1 ? '' : 's') + ' ago'
  }

  // "just now", "4 minutes ago", "3 hours ago", "2 days ago": in the page's English, as the words around it.
  function age (ms) {
    const minutes = Math.floor(ms / 60000)
    if (minutes < 1) return 'just now'
    if (minutes < 60) return plural(minutes, 'minute')
    const hours = Math.floor(minutes / 60)
    if (hours < 24) return plural(hours, 'hour')
    return plural(Math.floor(hours / 24), 'day')
  }

  const ages = document.querySelectorAll('time[data-ago]')
  function showAges () {
    const now = Date.now()
    for (let i = 0; i < ages.length; i++) {
      const el = ages[i]
      const date = dateOf(el)
      if (date === null) continue
      // The exact time, in the reader's zone, one hover away: also over a UTC title the server wrote for readers without JavaScript.
      el.title = full.format(date)
      // A reader's clock a little behind the server's reads "just now", never a time to come.
      el.textContent = age(Math.max(0, now - date.getTime()))
    }
  }
  if (ages.length > 0) {
    showAges()
    setInterval(showAges, 30000)
  }

  // The details of an uptime day open on focus and hover by CSS alone and cover what is above the bar: Escape
  // hides them (WCAG 1.4.13) until the focus or the pointer goes elsewhere. Only this page's script may run
  // (the CSP allows no other), so this small part lives here.
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape') return
    const days = document.querySelectorAll('.bar li:hover, .bar li:focus-within')
    for (let i = 0; i < days.length; i++) days[i].classList.add('tip-hidden')
  })
  function showAgain (event) {
    const hidden = document.querySelectorAll('.bar li.tip-hidden')
    for (let i = 0; i < hidden.length; i++) {
      if (!hidden[i].contains(event.target)) hidden[i].classList.remove('tip-hidden')
    }
  }
  document.addEventListener('focusin', showAgain)
  document.addEventListener('mouseover', showAgain)
})()
