// Auto-refresh of the status page for wall displays (admin Appearance, off by default): reloads it every
// data-refresh-seconds while it is shown, and never under the hands of someone reading or using it.
(function () {
  'use strict'
  const seconds = Number(document.body.getAttribute('data-refresh-seconds'))
  if (!(seconds >= 30)) return
  const wait = seconds * 1000
  let due = Date.now() + wait
  // A key, a click, a touch or a scroll puts the reload a whole interval after it: a reader keeps their place.
  function postpone () { due = Date.now() + wait }
  const inputs = ['keydown', 'pointerdown', 'wheel', 'touchstart', 'scroll']
  for (let i = 0; i < inputs.length; i++) window.addEventListener(inputs[i], postpone, { passive: true })
  setInterval(function () {
    // A hidden tab (another in front, a screen asleep) costs no request; it reloads once shown, if due.
    if (document.visibilityState === 'visible' && Date.now() >= due) window.location.reload()
  }, 1000)
})()
